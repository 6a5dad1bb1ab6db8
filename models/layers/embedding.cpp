#include "models/layers/embedding.h"

#include "ops/embedding.h"

namespace xgrad {

Embedding::Embedding(std::size_t num_embeddings, std::size_t embedding_dim, Generator& gen,
                     std::optional<std::int64_t> padding_idx, DType dtype)
    : num_(num_embeddings), dim_(embedding_dim) {
  if (num_ == 0 || dim_ == 0) {
    throw ValueError("Embedding: num_embeddings and embedding_dim must be positive, got " +
                     std::to_string(num_) + " and " + std::to_string(dim_));
  }
  if (padding_idx) {
    const std::int64_t n = std::int64_t(num_), p = *padding_idx;
    if (p >= n || p < -n) {
      throw ValueError("Embedding: padding_idx " + std::to_string(p) + " must be in [-" +
                       std::to_string(n) + ", " + std::to_string(n) + ")");
    }
    padding_idx_ = p < 0 ? p + n : p;
  }
  Array w = gen.normal({num_, dim_}, 0, 1, dtype);
  if (padding_idx_) {
    for (std::size_t j = 0; j < dim_; ++j) w.set(std::size_t(*padding_idx_) * dim_ + j, 0.0);
  }
  weight_ = register_parameter("weight", Tensor(std::move(w)), ParamRole::kWeight);
}

std::string Embedding::name() const {
  return "Embedding(" + std::to_string(num_) + ", " + std::to_string(dim_) +
         (padding_idx_ ? ", padding_idx=" + std::to_string(*padding_idx_) : "") + ")";
}

Tensor Embedding::forward(const Tensor& indices) {
  if (!indices.defined()) throw ValueError(name() + ": undefined input");
  if (indices.dtype() != kInt64) {
    throw DTypeError(name() + ": indices must be int64, got " + dtype_name(indices.dtype()));
  }
  return embedding(weight_, indices, padding_idx_);
}

}  // namespace xgrad
