#include "ops/conv2d.h"

#include <string>

#include "framework/record.h"
#include "ops/kernels/conv2d_kernels.h"

namespace xgrad {

namespace {

kernels::Conv2dShape check_shapes(const Tensor& x, const Tensor& w, const Tensor& b,
                                  const Conv2dOptions& o) {
  const char* op = "conv2d";
  check_same_dtype(op, x, w, "input", "weight");
  for (std::size_t a = 0; a < 2; ++a) {
    if (o.stride[a] == 0 || o.dilation[a] == 0 || o.groups == 0) {
      throw ValueError("conv2d: stride, dilation and groups must be positive");
    }
  }
  if (x.dim() != 4) throw_shape_error(op, "input must be 4-D (N, C, H, W)", "input", x.shape());
  if (w.dim() != 4) {
    throw_shape_error(op, "weight must be 4-D (Cout, Cin/groups, KH, KW)", "weight", w.shape());
  }
  const Shape& xs = x.shape();
  const Shape& ws = w.shape();
  const std::string groups = std::to_string(o.groups);
  if (xs[1] != ws[1] * o.groups) {
    throw_shape_error(op, "input channels must equal weight.shape[1] * groups (" + groups + ")",
                      "input", xs, "weight", ws);
  }
  if (ws[0] % o.groups != 0) {
    throw_shape_error(op, "weight.shape[0] must be divisible by groups (" + groups + ")", "weight",
                      ws);
  }
  if (b.defined()) {
    check_same_dtype(op, x, b, "input", "bias");
    if (b.dim() != 1 || b.shape()[0] != ws[0]) {
      throw_shape_error(op, "bias must be (Cout) with Cout = weight.shape[0]", "bias", b.shape(),
                        "weight", ws);
    }
  }
  kernels::Conv2dShape s;
  s.batch = xs[0];
  s.in_channels = xs[1];
  s.out_channels = ws[0];
  s.groups = o.groups;
  s.window =
      make_window_geometry(ws[1], xs[2], xs[3], {ws[2], ws[3]}, o.stride, o.padding, o.dilation);
  if (s.batch == 0 || s.in_channels == 0 || s.out_channels == 0 || s.window.out_h == 0 ||
      s.window.out_w == 0) {
    throw_shape_error(op,
                      "empty output (stride " + std::to_string(o.stride[0]) + "x" +
                          std::to_string(o.stride[1]) + ", padding " +
                          std::to_string(o.padding[0]) + "x" + std::to_string(o.padding[1]) +
                          ", dilation " + std::to_string(o.dilation[0]) + "x" +
                          std::to_string(o.dilation[1]) + ")",
                      "input", xs, "weight", ws);
  }
  return s;
}

}  // namespace

Tensor conv2d(const Tensor& x, const Tensor& w, const Tensor& b, const Conv2dOptions& options) {
  check_defined("conv2d", x, "input");
  check_defined("conv2d", w, "weight");
  const kernels::Conv2dShape s = check_shapes(x, w, b, options);
  Array y = Array::empty({s.batch, s.out_channels, s.window.out_h, s.window.out_w}, x.dtype());
  dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::conv2d_forward<T>(s, x.value().data<T>(), w.value().data<T>(),
                               b.defined() ? b.value().data<T>() : nullptr, y.data<T>());
  });
  std::vector<Tensor> inputs{x, w};
  if (b.defined()) inputs.push_back(b);
  return record("conv2d", std::move(y), inputs, [s](const Node& node, const Array& dy) {
    Grads g(node.inputs.size());
    const bool want_b = g.size() == 3 && node.input_requires_grad(2);
    dispatch(dy.dtype(), [&](auto tag) {
      using T = decltype(tag);
      if (node.input_requires_grad(0)) {
        g[0] = Array::empty(node.input(0).shape(), dy.dtype());
        kernels::conv2d_backward_input<T>(s, node.input(1).data<T>(), dy.data<T>(), g[0].data<T>());
      }
      if (node.input_requires_grad(1)) g[1] = Array::empty(node.input(1).shape(), dy.dtype());
      if (want_b) g[2] = Array::empty({s.out_channels}, dy.dtype());
      if (g[1].defined() || want_b) {
        kernels::conv2d_backward_params<T>(s, node.input(0).data<T>(), dy.data<T>(),
                                           g[1].defined() ? g[1].data<T>() : nullptr,
                                           want_b ? g[2].data<T>() : nullptr);
      }
    });
    return g;
  });
}

}  // namespace xgrad
