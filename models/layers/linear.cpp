#include "models/layers/linear.h"

#include <cmath>

#include "ops/linear.h"

namespace xgrad {

Linear::Linear(std::size_t in, std::size_t out, Generator& gen, bool bias, DType dtype)
    : in_(in), out_(out) {
  if (in == 0 || out == 0) throw ValueError("Linear: in and out features must be positive");
  const double bound = 1.0 / std::sqrt(double(in));
  weight_ = register_parameter("weight", Tensor(gen.uniform({out, in}, -bound, bound, dtype)),
                               ParamRole::kWeight);
  if (bias) {
    bias_ = register_parameter("bias", Tensor(gen.uniform({out}, -bound, bound, dtype)),
                               ParamRole::kBias);
  }
}

std::string Linear::name() const {
  return "Linear(" + std::to_string(in_) + " -> " + std::to_string(out_) +
         (bias_.defined() ? "" : ", no bias") + ")";
}

Tensor Linear::forward(const Tensor& x) {
  if (x.dim() != 2 || x.shape()[1] != in_) {
    throw_shape_error(name(), "input must have " + std::to_string(in_) + " columns", "input",
                      x.shape());
  }
  return linear(x, weight_, bias_);
}

}  // namespace xgrad
