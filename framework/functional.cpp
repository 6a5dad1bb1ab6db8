#include "framework/functional.h"

#include "framework/engine.h"
#include "framework/factory.h"
#include "framework/grad_mode.h"

namespace xgrad {

namespace {

std::vector<Tensor> fresh_leaves(const std::vector<Tensor>& x) {
  std::vector<Tensor> out;
  for (const Tensor& t : x) out.emplace_back(t.value(), true);
  return out;
}

// Undefined gradients (an input f does not use) become zeros.
std::vector<Tensor> filled(std::vector<Tensor> g, const std::vector<Tensor>& like) {
  for (std::size_t i = 0; i < g.size(); ++i) {
    g[i] = g[i].defined() ? Tensor(g[i].value()) : zeros_like(like[i]);
  }
  return g;
}

void check_like(const char* op, const std::vector<Tensor>& v, const std::vector<Tensor>& x) {
  if (v.size() != x.size()) {
    throw_value_error(op, std::to_string(v.size()) + " vectors for " + std::to_string(x.size()) +
                              " inputs");
  }
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (v[i].shape() != x[i].shape()) {
      throw_shape_error(op, "each vector must have its input's shape", "vector", v[i].shape(),
                        "input", x[i].shape());
    }
  }
}

// f(x) with x on a fresh graph; a constant output has a zero derivative.
Tensor evaluate(const TensorFn& f, const std::vector<Tensor>& leaves) {
  AutoGradMode on(true);
  return f(leaves);
}

}  // namespace

DerivativeProduct vjp(const TensorFn& f, const std::vector<Tensor>& x, const Tensor& u) {
  std::vector<Tensor> leaves = fresh_leaves(x);
  Tensor y = evaluate(f, leaves);
  DerivativeProduct r{Tensor(y.value()), {}};
  if (!y.requires_grad()) return {r.value, filled(std::vector<Tensor>(x.size()), x)};
  r.product = filled(grad({y}, leaves, {u}, false, false, true), x);
  return r;
}

DerivativeProduct hvp(const TensorFn& f, const std::vector<Tensor>& x,
                      const std::vector<Tensor>& v) {
  check_like("hvp", v, x);
  std::vector<Tensor> leaves = fresh_leaves(x);
  Tensor y = evaluate(f, leaves);
  DerivativeProduct r{Tensor(y.value()), {}};
  if (!y.requires_grad()) return {r.value, filled(std::vector<Tensor>(x.size()), x)};
  std::vector<Tensor> g = grad({y}, leaves, {}, true, true, true);
  // H v = ∂(Σ_i g_i · v_i)/∂x: the gradients seeded with v.
  std::vector<Tensor> roots, seeds;
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (g[i].defined() && g[i].requires_grad()) {
      roots.push_back(g[i]);
      seeds.push_back(v[i]);
    }
  }
  if (roots.empty()) return {r.value, filled(std::vector<Tensor>(x.size()), x)};
  r.product = filled(grad(roots, leaves, seeds, false, false, true), x);
  return r;
}

DerivativeProduct jvp(const TensorFn& f, const std::vector<Tensor>& x,
                      const std::vector<Tensor>& v) {
  check_like("jvp", v, x);
  std::vector<Tensor> leaves = fresh_leaves(x);
  Tensor y = evaluate(f, leaves);
  DerivativeProduct r{Tensor(y.value()), {}};
  if (!y.requires_grad()) return {r.value, {zeros_like(y)}};
  // g(u) = uᵀ J is linear in u; J v = ∂(Σ_i g_i(u) · v_i)/∂u at any u.
  Tensor u(Array::zeros(y.shape(), y.dtype()), true);
  std::vector<Tensor> g = grad({y}, leaves, {u}, true, true, true);
  std::vector<Tensor> roots, seeds;
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (g[i].defined() && g[i].requires_grad()) {
      roots.push_back(g[i]);
      seeds.push_back(v[i]);
    }
  }
  if (roots.empty()) return {r.value, {zeros_like(y)}};
  r.product = filled(grad(roots, {u}, seeds, false, false, true), {y});
  return r;
}

Tensor hessian(const TensorFn& f, const Tensor& x) {
  std::vector<Tensor> leaves = fresh_leaves({x});
  Tensor y = evaluate(f, leaves);
  const std::size_t n = x.size();
  Array h = Array::zeros({n, n}, x.dtype());
  if (!y.requires_grad()) return Tensor(std::move(h));
  Tensor g = grad({y}, leaves, {}, true, true, true)[0];
  if (!g.defined() || !g.requires_grad()) return Tensor(std::move(h));
  // Row k: ∂g_k/∂x, the gradient of g seeded with the unit vector e_k.
  for (std::size_t k = 0; k < n; ++k) {
    Array e = Array::zeros(x.shape(), x.dtype());
    e.set(k, 1.0);
    Tensor row = grad({g}, leaves, {Tensor(std::move(e))}, true, false, true)[0];
    if (!row.defined()) continue;
    for (std::size_t j = 0; j < n; ++j) h.set(k * n + j, row.value().at(j));
  }
  return Tensor(std::move(h));
}

}  // namespace xgrad
