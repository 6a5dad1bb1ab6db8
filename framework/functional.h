// Derivative products of a function of tensors, built on grad() with
// create_graph (PyTorch's torch.autograd.functional):
//
//   auto [y, hv] = hvp(f, {x}, {v});   // H(x)·v for a scalar f
//   auto [y, jv] = jvp(f, {x}, {v});   // J(x)·v, forward-mode by the double-backward trick
//   auto [y, vj] = vjp(f, {x}, {u});   // uᵀ·J(x), reverse mode
//   Tensor h = hessian(f, x);          // the full (n, n) Hessian of a scalar f, n = x.size()
//
// f maps the inputs to one tensor (a scalar for hvp and hessian). The
// inputs are copied into fresh leaves: the results are plain values, off
// any graph of the caller. Each product costs one or two backward passes;
// hessian costs n + 1 (one row per element), so it is for small inputs.
// jvp uses the double-backward trick: with g(u) = uᵀ J (linear in a dummy
// u), J v = ∂(g(u)·v)/∂u, two reverse passes instead of forward mode.
#pragma once

#include <functional>
#include <vector>

#include "framework/tensor.h"

namespace xgrad {

using TensorFn = std::function<Tensor(const std::vector<Tensor>&)>;

struct DerivativeProduct {
  Tensor value;                 // f(x)
  std::vector<Tensor> product;  // one per input (vjp, hvp) or the output's shape (jvp)
};

// REQUIRES: f(x) has one element; v[i] has x[i]'s shape and dtype.
DerivativeProduct hvp(const TensorFn& f, const std::vector<Tensor>& x, const std::vector<Tensor>& v);
// REQUIRES: v[i] has x[i]'s shape and dtype. product[0] has f(x)'s shape.
DerivativeProduct jvp(const TensorFn& f, const std::vector<Tensor>& x, const std::vector<Tensor>& v);
// REQUIRES: u has f(x)'s shape and dtype.
DerivativeProduct vjp(const TensorFn& f, const std::vector<Tensor>& x, const Tensor& u);
// REQUIRES: f(x) has one element. Returns an (n, n) tensor, n = x.size().
Tensor hessian(const TensorFn& f, const Tensor& x);

}  // namespace xgrad
