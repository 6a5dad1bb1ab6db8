#include "ops/conv_transpose2d.h"

#include <cstdint>
#include <string>

#include "framework/checks.h"
#include "ops/arithmetic.h"
#include "ops/conv2d.h"
#include "ops/reshape.h"

namespace xgrad {

Tensor conv_transpose2d(const Tensor& x, const Tensor& w, const Tensor& b, const Conv2dOptions& o,
                        Size2 output_padding) {
  const char* op = "conv_transpose2d";
  check_same_dtype(op, x, w, "input", "weight");
  if (x.dim() != 4) throw_shape_error(op, "input must be 4-D (N, Cin, H, W)", "input", x.shape());
  if (w.dim() != 4) {
    throw_shape_error(op, "weight must be 4-D (Cin, Cout/groups, KH, KW)", "weight", w.shape());
  }
  for (std::size_t a = 0; a < 2; ++a) {
    if (o.stride[a] == 0 || o.dilation[a] == 0 || o.groups == 0) {
      throw_value_error(op, "stride, dilation and groups must be positive");
    }
    if (output_padding[a] >= o.stride[a]) {
      throw_value_error(
          op, "output_padding (" + std::to_string(output_padding[0]) + ", " +
                  std::to_string(output_padding[1]) + ") must be smaller than the stride (" +
                  std::to_string(o.stride[0]) + ", " + std::to_string(o.stride[1]) + ")");
    }
  }
  const Shape& xs = x.shape();
  const Shape& ws = w.shape();
  if (xs[1] != ws[0]) {
    throw_shape_error(op, "input channels must equal weight.shape[0]", "input", xs, "weight", ws);
  }
  if (ws[0] % o.groups != 0) {
    throw_shape_error(
        op, "weight.shape[0] must be divisible by groups (" + std::to_string(o.groups) + ")",
        "weight", ws);
  }
  const std::size_t cout = ws[1] * o.groups;
  std::int64_t out[2];
  for (std::size_t a = 0; a < 2; ++a) {
    out[a] = (std::int64_t(xs[2 + a]) - 1) * std::int64_t(o.stride[a]) -
             2 * std::int64_t(o.padding[a]) +
             std::int64_t(o.dilation[a]) * (std::int64_t(ws[2 + a]) - 1) +
             std::int64_t(output_padding[a]) + 1;
  }
  if (xs[0] == 0 || xs[2] == 0 || xs[3] == 0 || cout == 0 || out[0] <= 0 || out[1] <= 0) {
    throw_shape_error(
        op,
        "empty output (output size " + std::to_string(out[0]) + "x" + std::to_string(out[1]) + ")",
        "input", xs, "weight", ws);
  }
  if (b.defined()) {
    check_same_dtype(op, x, b, "input", "bias");
    if (b.dim() != 1 || b.shape()[0] != cout) {
      throw_shape_error(op, "bias must be (Cout) with Cout = weight.shape[1] * groups", "bias",
                        b.shape(), "weight", ws);
    }
  }
  const Tensor y =
      conv2d_input_grad(x, w, {xs[0], cout, std::size_t(out[0]), std::size_t(out[1])}, o);
  return b.defined() ? add(y, reshape(b, {1, std::int64_t(cout), 1, 1})) : y;
}

}  // namespace xgrad
