#include "ops/normalization.h"

#include <cmath>
#include <memory>
#include <string>

#include "framework/array_map.h"
#include "framework/grad_mode.h"
#include "framework/record.h"
#include "ops/arithmetic.h"
#include "ops/elementwise.h"
#include "ops/kernels/normalize.h"
#include "ops/reshape.h"
#include "ops/sum.h"

namespace xgrad {

namespace {

using kernels::NormLayout;
using kernels::NormStats;
using SavedStats = std::shared_ptr<const NormStats>;

// rstd (g - mean(g) - xhat mean(g xhat)) written with ops, means over `axes`:
// what the fused gradient ops' derivatives come from.
Tensor normalize_backward_composite(const Tensor& g, const Tensor& x, const Axes& axes,
                                    double eps) {
  const Tensor xc = sub(x, mean(x, axes, true));
  const Tensor rstd = pow(add(mean(square(xc), axes, true), eps), -0.5);
  const Tensor xhat = mul(xc, rstd);
  return mul(rstd, sub(sub(g, mean(g, axes, true)), mul(xhat, mean(mul(g, xhat), axes, true))));
}

// The fused input gradient: stats from `saved` (the forward's) or recomputed.
Tensor normalize_backward(const char* op, const Tensor& g, const Tensor& x, const NormLayout& l,
                          const Axes& axes, double eps, const SavedStats& saved) {
  check_same_dtype(op, g, x, "gradient", "input");
  if (g.shape() != x.shape()) {
    throw_shape_error(op, "shapes must match", "gradient", g.shape(), "input", x.shape());
  }
  Array dx = Array::empty(x.shape(), x.dtype());
  dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* px = x.value().data<T>();
    const NormStats stats = saved ? *saved : kernels::norm_stats(px, l, eps);
    kernels::norm_backward(g.value().data<T>(), px, dx.data<T>(), l, stats);
  });
  return record_fused(op, std::move(dx), {g, x}, [axes, eps](const std::vector<Tensor>& in) {
    return normalize_backward_composite(in[0], in[1], axes, eps);
  });
}

Axes trailing_axes(std::size_t rank, std::size_t k) {
  std::vector<std::int64_t> a;
  for (std::size_t d = rank - k; d < rank; ++d) a.push_back(std::int64_t(d));
  return a;
}

Axes all_but_channel(std::size_t rank) {
  std::vector<std::int64_t> a{0};
  for (std::size_t d = 2; d < rank; ++d) a.push_back(std::int64_t(d));
  return a;
}

// layer_norm's layout; ShapeError unless x ends with normalized_shape.
NormLayout layer_layout(const char* op, const Shape& x, const std::vector<std::int64_t>& ns) {
  bool fits = !ns.empty() && ns.size() <= x.size();
  for (std::size_t i = 0; fits && i < ns.size(); ++i) {
    fits = ns[i] >= 0 && std::size_t(ns[i]) == x[x.size() - ns.size() + i];
  }
  if (!fits) {
    Shape want;
    for (std::int64_t d : ns) want.push_back(std::size_t(std::max<std::int64_t>(d, 0)));
    throw_shape_error(op, "input must end with normalized_shape", "input", x, "normalized_shape",
                      want);
  }
  NormLayout l;
  l.len = 1;
  for (std::int64_t d : ns) l.len *= std::size_t(d);
  l.groups = l.len == 0 ? 0 : shape_size(x) / l.len;
  l.group_stride = l.len;
  return l;
}

// batch_norm's layout (groups = channels); ShapeError unless x is (N, C, *).
NormLayout batch_layout(const char* op, const Shape& x) {
  if (x.size() < 2) throw_shape_error(op, "input must be (N, C, *)", "input", x);
  NormLayout l;
  l.groups = x[1];
  l.blocks = x[0];
  l.len = 1;
  for (std::size_t d = 2; d < x.size(); ++d) l.len *= x[d];
  l.group_stride = l.len;
  l.block_stride = l.groups * l.len;
  return l;
}

void check_param(const char* op, const Tensor& x, const Tensor& p, const char* name,
                 const Shape& shape) {
  if (!p.defined()) return;
  check_same_dtype(op, x, p, "input", name);
  if (p.shape() != shape) {
    throw_shape_error(op, std::string(name) + " must be " + format_shape(shape), name, p.shape(),
                      "input", x.shape());
  }
}

// The forward kernel over `l` with statistics `s`; w, b indexed per group or per position.
Array normalize_forward(const Tensor& x, const NormLayout& l, const NormStats& s, const Tensor& w,
                        const Tensor& b, bool per_group) {
  Array y = Array::empty(x.shape(), x.dtype());
  dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::norm_forward(x.value().data<T>(), y.data<T>(), l, s,
                          w.defined() ? w.value().data<T>() : nullptr,
                          b.defined() ? b.value().data<T>() : nullptr, per_group);
  });
  return y;
}

NormStats compute_stats(const Tensor& x, const NormLayout& l, double eps) {
  return dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    return kernels::norm_stats(x.value().data<T>(), l, eps);
  });
}

// Inputs {x, weight?, bias?}; returns the positions of weight and bias (0 = absent).
std::vector<Tensor> inputs_of(const Tensor& x, const Tensor& w, const Tensor& b, std::size_t& iw,
                              std::size_t& ib) {
  std::vector<Tensor> in{x};
  iw = ib = 0;
  if (w.defined()) iw = in.size(), in.push_back(w);
  if (b.defined()) ib = in.size(), in.push_back(b);
  return in;
}

}  // namespace

Tensor layer_norm(const Tensor& x, const std::vector<std::int64_t>& normalized_shape,
                  const Tensor& weight, const Tensor& bias, double eps) {
  const char* op = "layer_norm";
  check_float(op, x);
  const NormLayout l = layer_layout(op, x.shape(), normalized_shape);
  const Shape pshape(x.shape().end() - std::ptrdiff_t(normalized_shape.size()), x.shape().end());
  check_param(op, x, weight, "weight", pshape);
  check_param(op, x, bias, "bias", pshape);
  auto stats = std::make_shared<const NormStats>(compute_stats(x, l, eps));
  Array y = normalize_forward(x, l, *stats, weight, bias, false);
  std::size_t iw, ib;
  const std::vector<Tensor> in = inputs_of(x, weight, bias, iw, ib);
  const Axes norm_axes = trailing_axes(x.dim(), normalized_shape.size());
  std::vector<std::int64_t> lead;
  for (std::size_t d = 0; d + normalized_shape.size() < x.dim(); ++d)
    lead.push_back(std::int64_t(d));
  return record(
      op, std::move(y), in,
      [l, stats, norm_axes, lead, normalized_shape, eps, iw, ib](const Node& out,
                                                                 const Tensor& dy) {
        const Tensor x = out.input(0);
        Grads g(out.inputs.size());
        if (out.needs_grad(0)) {
          const Tensor gw = iw ? mul(dy, out.input(iw)) : dy;
          g[0] = normalize_backward("layer_norm_backward", gw, x, l, norm_axes, eps, stats);
        }
        if (iw && out.needs_grad(iw)) {
          g[iw] = sum(mul(dy, layer_norm(x, normalized_shape, Tensor(), Tensor(), eps)), lead);
        }
        if (ib && out.needs_grad(ib)) g[ib] = sum(dy, lead);
        return g;
      });
}

Tensor layer_norm_backward(const Tensor& g, const Tensor& x,
                           const std::vector<std::int64_t>& normalized_shape, double eps) {
  const char* op = "layer_norm_backward";
  check_float(op, x);
  const NormLayout l = layer_layout(op, x.shape(), normalized_shape);
  return normalize_backward(op, g, x, l, trailing_axes(x.dim(), normalized_shape.size()), eps,
                            nullptr);
}

Tensor batch_norm_backward(const Tensor& g, const Tensor& x, double eps) {
  const char* op = "batch_norm_backward";
  check_float(op, x);
  const NormLayout l = batch_layout(op, x.shape());
  return normalize_backward(op, g, x, l, all_but_channel(x.dim()), eps, nullptr);
}

Tensor batch_norm(const Tensor& x, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight, const Tensor& bias, bool training, double momentum,
                  double eps) {
  const char* op = "batch_norm";
  check_float(op, x);
  const NormLayout l = batch_layout(op, x.shape());
  const Shape cshape{l.groups};
  check_param(op, x, weight, "weight", cshape);
  check_param(op, x, bias, "bias", cshape);
  check_param(op, x, running_mean, "running_mean", cshape);
  check_param(op, x, running_var, "running_var", cshape);
  std::vector<std::int64_t> bshape(x.dim(), 1);  // (1, C, 1, ...): broadcasts per channel
  bshape[1] = std::int64_t(l.groups);
  const Axes axes = all_but_channel(x.dim());
  std::size_t iw, ib;
  std::vector<Tensor> in = inputs_of(x, weight, bias, iw, ib);
  if (!training) {
    if (!running_mean.defined() || !running_var.defined()) {
      throw_value_error(op, "running_mean and running_var must be given in evaluation mode");
    }
    NormStats s;
    for (std::size_t c = 0; c < l.groups; ++c) {
      s.mean.push_back(running_mean.value().at(c));
      s.var.push_back(running_var.value().at(c));
      s.rstd.push_back(1.0 / std::sqrt(s.var.back() + eps));
    }
    Array y = normalize_forward(x, l, s, weight, bias, true);
    const std::size_t im = in.size();
    in.push_back(running_mean);
    in.push_back(running_var);
    return record(
        op, std::move(y), in, [bshape, axes, eps, iw, ib, im](const Node& out, const Tensor& dy) {
          // The running statistics are constants: y is affine in x.
          Array rstd =
              map(out.input_value(im + 1), [eps](auto v) { return 1 / std::sqrt(v + eps); });
          const Tensor s = reshape(Tensor(std::move(rstd)), bshape);
          Grads g(out.inputs.size());
          if (out.needs_grad(0)) g[0] = mul(dy, iw ? mul(reshape(out.input(iw), bshape), s) : s);
          if (iw && out.needs_grad(iw)) {
            const Tensor xhat = mul(sub(out.input(0), reshape(out.input(im), bshape)), s);
            g[iw] = sum(mul(dy, xhat), axes);
          }
          if (ib && out.needs_grad(ib)) g[ib] = sum(dy, axes);
          return g;
        });
  }
  const std::size_t count = l.count();
  if (count <= 1) {
    throw_value_error(op, "expected more than 1 value per channel when training, got input " +
                              format_shape(x.shape()));
  }
  auto stats = std::make_shared<const NormStats>(compute_stats(x, l, eps));
  Array y = normalize_forward(x, l, *stats, weight, bias, true);
  {
    NoGradGuard no_grad;
    const double unbias = double(count) / double(count - 1);
    if (running_mean.defined()) {
      Array& rm = Tensor(running_mean).mutable_value();
      for (std::size_t c = 0; c < l.groups; ++c) {
        rm.set(c, (1 - momentum) * rm.at(c) + momentum * stats->mean[c]);
      }
    }
    if (running_var.defined()) {
      Array& rv = Tensor(running_var).mutable_value();
      for (std::size_t c = 0; c < l.groups; ++c) {
        rv.set(c, (1 - momentum) * rv.at(c) + momentum * stats->var[c] * unbias);
      }
    }
  }
  return record(op, std::move(y), in,
                [l, stats, bshape, axes, eps, iw, ib](const Node& out, const Tensor& dy) {
                  const Tensor x = out.input(0);
                  Grads g(out.inputs.size());
                  if (out.needs_grad(0)) {
                    const Tensor gw = iw ? mul(dy, reshape(out.input(iw), bshape)) : dy;
                    g[0] = normalize_backward("batch_norm_backward", gw, x, l, axes, eps, stats);
                  }
                  if (iw && out.needs_grad(iw)) {
                    const Tensor xhat =
                        batch_norm(x, Tensor(), Tensor(), Tensor(), Tensor(), true, 0.0, eps);
                    g[iw] = sum(mul(dy, xhat), axes);
                  }
                  if (ib && out.needs_grad(ib)) g[ib] = sum(dy, axes);
                  return g;
                });
}

}  // namespace xgrad
