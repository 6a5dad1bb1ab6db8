#include "models/layers/conv2d.h"

#include <cmath>
#include <string>

namespace xgrad {

namespace {
std::string pair(Size2 s) { return std::to_string(s[0]) + "x" + std::to_string(s[1]); }
}  // namespace

Conv2d::Conv2d(std::size_t in, std::size_t out, Size2 kernel, Generator& gen,
               const Conv2dOptions& options, bool bias, DType dtype)
    : in_(in), out_(out), kernel_(kernel), options_(options) {
  if (in == 0 || out == 0 || kernel[0] == 0 || kernel[1] == 0) {
    throw ValueError("Conv2d: channels and kernel must be positive");
  }
  const std::size_t g = options.groups;
  if (g == 0 || in % g != 0 || out % g != 0) {
    throw ValueError("Conv2d: in and out channels must be divisible by groups: in " +
                     std::to_string(in) + ", out " + std::to_string(out) + ", groups " +
                     std::to_string(g));
  }
  const double bound = 1.0 / std::sqrt(double(in / g * kernel[0] * kernel[1]));
  weight_ = register_parameter(
      "weight", Tensor(gen.uniform({out, in / g, kernel[0], kernel[1]}, -bound, bound, dtype)),
      ParamRole::kWeight);
  if (bias) {
    bias_ = register_parameter("bias", Tensor(gen.uniform({out}, -bound, bound, dtype)),
                               ParamRole::kBias);
  }
}

std::string Conv2d::name() const {
  std::string s =
      "Conv2d(" + std::to_string(in_) + " -> " + std::to_string(out_) + ", kernel " + pair(kernel_);
  const Conv2dOptions& o = options_;
  if (o.stride != Size2{1, 1}) s += ", stride " + pair(o.stride);
  if (o.padding != Size2{0, 0}) s += ", padding " + pair(o.padding);
  if (o.dilation != Size2{1, 1}) s += ", dilation " + pair(o.dilation);
  if (o.groups != 1) s += ", groups " + std::to_string(o.groups);
  return s + (bias_.defined() ? ")" : ", no bias)");
}

Tensor Conv2d::forward(const Tensor& x) {
  if (x.dim() != 4 || x.shape()[1] != in_) {
    throw_shape_error(name(), "input must be (N, " + std::to_string(in_) + ", H, W)", "input",
                      x.shape());
  }
  return conv2d(x, weight_, bias_, options_);
}

}  // namespace xgrad
