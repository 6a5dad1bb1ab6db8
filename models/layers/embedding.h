// Embedding: a lookup table of vectors (PyTorch's nn.Embedding), over the
// embedding op (ops/embedding.h).
//   Embedding(num_embeddings, embedding_dim, gen, padding_idx?, dtype)
//     name "Embedding(1000, 64)" or "Embedding(1000, 64, padding_idx=0)"
//   parameters: weight (num_embeddings, embedding_dim) [weight]
//   input: int64 indices of any shape, in [0, num_embeddings)
//     -> output indices.shape + (embedding_dim)
// Initialisation as PyTorch's: weight ~ N(0, 1), with row padding_idx zeroed.
// padding_idx (negative counts from the end, as PyTorch): that row's
// gradient is always 0, so it keeps its value (the padding vector).
// Errors: DTypeError for non-int64 indices, ValueError naming an index out of
// range (from the op).
#pragma once

#include <cstdint>
#include <optional>

#include "framework/generator.h"
#include "models/module.h"

namespace xgrad {

class Embedding : public Module {
 public:
  Embedding(std::size_t num_embeddings, std::size_t embedding_dim, Generator& gen,
            std::optional<std::int64_t> padding_idx = std::nullopt, DType dtype = kFloat32);

  Tensor forward(const Tensor& indices) override;
  std::string name() const override;

  const Tensor& weight() const { return weight_; }
  std::size_t num_embeddings() const { return num_; }
  std::size_t embedding_dim() const { return dim_; }
  // Normalised to [0, num_embeddings) when given.
  std::optional<std::int64_t> padding_idx() const { return padding_idx_; }

 private:
  std::size_t num_, dim_;
  std::optional<std::int64_t> padding_idx_;
  Tensor weight_;
};

}  // namespace xgrad
