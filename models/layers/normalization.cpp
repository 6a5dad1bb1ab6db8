#include "models/layers/normalization.h"

#include "models/format.h"
#include "ops/normalization.h"

namespace xgrad {

LayerNorm::LayerNorm(Shape normalized_shape, double eps, bool elementwise_affine, DType dtype)
    : shape_(std::move(normalized_shape)), eps_(eps) {
  if (shape_.empty()) throw ValueError("LayerNorm: normalized_shape must not be empty");
  for (std::size_t d : shape_) {
    if (d == 0) {
      throw_shape_error("LayerNorm", "normalized_shape must have positive sizes",
                        "normalized_shape", shape_);
    }
  }
  if (!(eps > 0)) throw ValueError("LayerNorm: eps must be positive, got " + format_number(eps));
  if (elementwise_affine) {
    weight_ = register_parameter("weight", Tensor(Array::full(shape_, 1.0, dtype)),
                                 ParamRole::kNormWeight);
    bias_ = register_parameter("bias", Tensor(Array::zeros(shape_, dtype)), ParamRole::kBias);
  }
}

std::string LayerNorm::name() const {
  return "LayerNorm(" + format_shape(shape_) + ", eps=" + format_number(eps_) +
         (weight_.defined() ? "" : ", elementwise_affine=false") + ")";
}

Tensor LayerNorm::forward(const Tensor& x) {
  std::vector<std::int64_t> shape(shape_.begin(), shape_.end());
  const std::size_t k = shape_.size();
  if (!x.defined() || x.dim() < k ||
      !std::equal(shape_.begin(), shape_.end(), x.shape().end() - std::ptrdiff_t(k))) {
    if (!x.defined()) throw ValueError(name() + ": undefined input");
    throw_shape_error(name(), "the input's last dimensions must equal normalized_shape", "input",
                      x.shape(), "normalized_shape", shape_);
  }
  return layer_norm(x, shape, weight_, bias_, eps_);
}

BatchNorm::BatchNorm(const char* kind, std::size_t min_dim, std::size_t max_dim,
                     std::size_t num_features, double eps, std::optional<double> momentum,
                     bool affine, bool track_running_stats, DType dtype)
    : kind_(kind),
      min_dim_(min_dim),
      max_dim_(max_dim),
      c_(num_features),
      eps_(eps),
      momentum_(momentum),
      track_(track_running_stats) {
  if (c_ == 0) throw ValueError(std::string(kind) + ": num_features must be positive");
  if (!(eps > 0)) {
    throw ValueError(std::string(kind) + ": eps must be positive, got " + format_number(eps));
  }
  if (momentum && !(*momentum >= 0 && *momentum <= 1)) {
    throw ValueError(std::string(kind) + ": momentum must be in [0, 1], got " +
                     format_number(*momentum));
  }
  if (affine) {
    weight_ =
        register_parameter("weight", Tensor(Array::full({c_}, 1.0, dtype)), ParamRole::kNormWeight);
    bias_ = register_parameter("bias", Tensor(Array::zeros({c_}, dtype)), ParamRole::kBias);
  }
  if (track_) {
    mean_ = register_buffer("running_mean", Array::zeros({c_}, dtype), BufferDType::kFollowsModule);
    var_ =
        register_buffer("running_var", Array::full({c_}, 1.0, dtype), BufferDType::kFollowsModule);
    count_ = register_buffer("num_batches_tracked", Array::zeros({}, kInt64));
  }
}

std::string BatchNorm::name() const {
  return std::string(kind_) + "(" + std::to_string(c_) + ", eps=" + format_number(eps_) +
         ", momentum=" + (momentum_ ? format_number(*momentum_) : "None") +
         (weight_.defined() ? "" : ", affine=false") +
         (track_ ? "" : ", track_running_stats=false") + ")";
}

Array BatchNorm::running_mean() const {
  if (!track_) throw ValueError(name() + ": has no running statistics");
  return buffer(mean_);
}

Array BatchNorm::running_var() const {
  if (!track_) throw ValueError(name() + ": has no running statistics");
  return buffer(var_);
}

std::int64_t BatchNorm::num_batches_tracked() const {
  if (!track_) throw ValueError(name() + ": has no running statistics");
  return std::int64_t(buffer(count_).item());
}

void BatchNorm::reset_running_stats() {
  if (!track_) return;
  const DType dtype = buffer(mean_).dtype();
  buffer(mean_) = Array::zeros({c_}, dtype);
  buffer(var_) = Array::full({c_}, 1.0, dtype);
  buffer(count_) = Array::zeros({}, kInt64);
}

void BatchNorm::check_input(const Tensor& x) const {
  if (!x.defined()) throw ValueError(name() + ": undefined input");
  const std::string dims =
      min_dim_ == max_dim_ ? std::to_string(min_dim_) + "-D"
                           : std::to_string(min_dim_) + "-D or " + std::to_string(max_dim_) + "-D";
  if (x.dim() < min_dim_ || x.dim() > max_dim_) {
    throw_shape_error(name(), "expected a " + dims + " input", "input", x.shape());
  }
  if (x.shape()[1] != c_) {
    throw_shape_error(name(),
                      "the input's dimension 1 must have " + std::to_string(c_) + " channels",
                      "input", x.shape());
  }
}

Tensor BatchNorm::forward(const Tensor& x) {
  check_input(x);
  double factor = 0;
  if (is_training() && track_) {
    // PyTorch's order: count the batch first, so momentum=None averages it in.
    const std::int64_t n = std::int64_t(buffer(count_).item()) + 1;
    factor = momentum_ ? *momentum_ : 1.0 / double(n);
    Tensor rm = buffer_tensor(mean_), rv = buffer_tensor(var_);
    Tensor y = batch_norm(x, rm, rv, weight_, bias_, true, factor, eps_);
    buffer(count_).set(0, double(n));
    return y;
  }
  if (track_ && !is_training()) {
    return batch_norm(x, buffer_tensor(mean_), buffer_tensor(var_), weight_, bias_, false, 0.0,
                      eps_);
  }
  return batch_norm(x, Tensor(), Tensor(), weight_, bias_, true, 0.0, eps_);
}

}  // namespace xgrad
