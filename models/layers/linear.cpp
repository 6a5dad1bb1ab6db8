#include "models/layers/linear.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "ops/linear.h"
#include "ops/reshape.h"

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
  if (x.dim() == 0 || x.shape().back() != in_) {
    throw_shape_error(name(), "input's last dimension must be " + std::to_string(in_), "input",
                      x.shape());
  }
  if (x.dim() == 2) return linear(x, weight_, bias_);
  // (*, in) -> (*, out) as PyTorch: the leading dimensions are one batch of rows.
  std::vector<std::int64_t> out_shape(x.shape().begin(), x.shape().end());
  out_shape.back() = std::int64_t(out_);
  const Tensor rows = reshape(x, {-1, std::int64_t(in_)});
  return reshape(linear(rows, weight_, bias_), out_shape);
}

}  // namespace xgrad
