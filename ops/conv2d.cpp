#include "ops/conv2d.h"

#include <cstdint>
#include <string>
#include <tuple>
#include <utility>

#include "framework/record.h"
#include "ops/expand.h"
#include "ops/kernels/conv2d_kernels.h"
#include "ops/reshape.h"
#include "ops/sum.h"

namespace xgrad {

namespace {

const char* const kOp = "conv2d";

// The geometry of a convolution of an input of shape xs with a weight of
// shape ws; ShapeError/ValueError (named after `op`) if they do not fit.
kernels::Conv2dShape conv_shape(const char* op, const Shape& xs, const Shape& ws,
                                const Conv2dOptions& o) {
  for (std::size_t a = 0; a < 2; ++a) {
    if (o.stride[a] == 0 || o.dilation[a] == 0 || o.groups == 0) {
      throw_value_error(op, "stride, dilation and groups must be positive");
    }
  }
  if (xs.size() != 4) throw_shape_error(op, "input must be 4-D (N, C, H, W)", "input", xs);
  if (ws.size() != 4) {
    throw_shape_error(op, "weight must be 4-D (Cout, Cin/groups, KH, KW)", "weight", ws);
  }
  const std::string groups = std::to_string(o.groups);
  if (xs[1] != ws[1] * o.groups) {
    throw_shape_error(op, "input channels must equal weight.shape[1] * groups (" + groups + ")",
                      "input", xs, "weight", ws);
  }
  if (ws[0] % o.groups != 0) {
    throw_shape_error(op, "weight.shape[0] must be divisible by groups (" + groups + ")", "weight",
                      ws);
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

Shape output_shape(const kernels::Conv2dShape& s) {
  return {s.batch, s.out_channels, s.window.out_h, s.window.out_w};
}

void check_gradient_shape(const char* op, const Tensor& dy, const kernels::Conv2dShape& s) {
  if (dy.shape() != output_shape(s)) {
    throw_shape_error(op, "gradient must have the convolution's output shape", "gradient",
                      dy.shape(), "output", output_shape(s));
  }
}

}  // namespace

Tensor conv2d(const Tensor& x, const Tensor& w, const Tensor& b, const Conv2dOptions& options) {
  check_same_dtype(kOp, x, w, "input", "weight");
  const kernels::Conv2dShape s = conv_shape(kOp, x.shape(), w.shape(), options);
  if (b.defined()) {
    check_same_dtype(kOp, x, b, "input", "bias");
    if (b.dim() != 1 || b.shape()[0] != w.shape()[0]) {
      throw_shape_error(kOp, "bias must be (Cout) with Cout = weight.shape[0]", "bias", b.shape(),
                        "weight", w.shape());
    }
  }
  Array y = Array::empty(output_shape(s), x.dtype());
  dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::conv2d_forward<T>(s, x.value().data<T>(), w.value().data<T>(),
                               b.defined() ? b.value().data<T>() : nullptr, y.data<T>());
  });
  std::vector<Tensor> inputs{x, w};
  if (b.defined()) inputs.push_back(b);
  return record(kOp, std::move(y), inputs, [options](const Node& node, const Tensor& dy) {
    Grads g(node.inputs.size());
    const Tensor x = node.input(0), w = node.input(1);
    if (node.needs_grad(0)) g[0] = conv2d_input_grad(dy, w, x.shape(), options);
    const bool bias = g.size() == 3 && node.needs_grad(2);
    if (node.needs_grad(1) && bias) {
      std::tie(g[1], g[2]) = conv2d_weight_bias_grad(x, dy, w.shape(), options);
    } else if (node.needs_grad(1)) {
      g[1] = conv2d_weight_grad(x, dy, w.shape(), options);
    } else if (bias) {
      g[2] = sum(dy, {0, 2, 3});  // db = Σ_{n,i,j} dy
    }
    return g;
  });
}

Tensor conv2d_input_grad(const Tensor& dy, const Tensor& w, const Shape& input_shape,
                         const Conv2dOptions& options) {
  const char* op = "conv2d_input_grad";
  check_same_dtype(op, dy, w, "gradient", "weight");
  const kernels::Conv2dShape s = conv_shape(op, input_shape, w.shape(), options);
  check_gradient_shape(op, dy, s);
  Array dx = Array::empty(input_shape, dy.dtype());
  dispatch(dy.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::conv2d_backward_input<T>(s, w.value().data<T>(), dy.value().data<T>(), dx.data<T>());
  });
  // dx = T(dy, W), bilinear with <g, T(dy, W)> = <dy, conv2d(g, W)>.
  return record(op, std::move(dx), {dy, w}, [options](const Node& node, const Tensor& g) {
    const Tensor dy = node.input(0), w = node.input(1);
    return Grads{node.needs_grad(0) ? conv2d(g, w, Tensor(), options) : Tensor(),
                 node.needs_grad(1) ? conv2d_weight_grad(g, dy, w.shape(), options) : Tensor()};
  });
}

namespace {

// dW, and db if `bias`, in one pass over dy (conv2d_weight_grad's op): the bias gradient
// db[o] = Σ_{n,i,j} dy[n][o][i][j] is summed chunk by chunk while the chunk of dy is in
// cache for dW, instead of in a pass of its own.
std::pair<Tensor, Tensor> params_grad(const Tensor& x, const Tensor& dy, const Shape& weight_shape,
                                      const Conv2dOptions& options, bool bias) {
  const char* op = "conv2d_weight_grad";
  check_same_dtype(op, x, dy, "input", "gradient");
  const kernels::Conv2dShape s = conv_shape(op, x.shape(), weight_shape, options);
  check_gradient_shape(op, dy, s);
  Array dw = Array::empty(weight_shape, dy.dtype());
  Array db = bias ? Array::empty({s.out_channels}, dy.dtype()) : Array();
  dispatch(dy.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::conv2d_backward_params<T>(s, x.value().data<T>(), dy.value().data<T>(), dw.data<T>(),
                                       bias ? db.data<T>() : nullptr);
  });
  // dW = U(x, dy), bilinear with <G, U(x, dy)> = <dy, conv2d(x, G)>.
  Tensor weight_grad =
      record(op, std::move(dw), {x, dy}, [options](const Node& node, const Tensor& g) {
        const Tensor x = node.input(0), dy = node.input(1);
        return Grads{node.needs_grad(0) ? conv2d_input_grad(dy, g, x.shape(), options) : Tensor(),
                     node.needs_grad(1) ? conv2d(x, g, Tensor(), options) : Tensor()};
      });
  if (!bias) return {weight_grad, Tensor()};
  // db is linear in dy: its gradient spreads g[o] over dy's plane o, as sum's does.
  Tensor bias_grad =
      record("conv2d_bias_grad", std::move(db), {dy}, [](const Node& node, const Tensor& g) {
        const Shape& ys = node.input_shape(0);
        return Grads{broadcast_to(reshape(g, {1, std::int64_t(ys[1]), 1, 1}), ys)};
      });
  return {weight_grad, bias_grad};
}

}  // namespace

Tensor conv2d_weight_grad(const Tensor& x, const Tensor& dy, const Shape& weight_shape,
                          const Conv2dOptions& options) {
  return params_grad(x, dy, weight_shape, options, false).first;
}

std::pair<Tensor, Tensor> conv2d_weight_bias_grad(const Tensor& x, const Tensor& dy,
                                                  const Shape& weight_shape,
                                                  const Conv2dOptions& options) {
  return params_grad(x, dy, weight_shape, options, true);
}

}  // namespace xgrad
