// Embedding lookup (PyTorch's torch::embedding(weight, indices), i.e.
// F.embedding(input, weight) with the arguments in ATen's order) and one_hot.
//   forward:  y[i, :] = weight[indices[i], :]          (i runs over indices' shape)
//   backward: dweight = embedding_backward(dy, indices, V, padding_idx): row k is
//             Σ_{i : indices[i] = k} dy[i, :], 0 for row padding_idx (which
//             therefore never learns, as PyTorch). Deterministic: one task per
//             weight row, adding its contributions in ascending i (no atomics,
//             the same bits for any thread count). embedding_backward is linear
//             in dy; its own gradient is embedding(g with row padding_idx zeroed, indices).
//             saves nothing: reads indices (an input, never differentiated)
//   shapes:   weight (V, D), indices any shape, int64 in [0, V) -> indices.shape + (D)
//   padding_idx: optional; negative counts from the end (as F.embedding).
// one_hot(indices, num_classes): y[..., k] = 1 if indices[...] = k else 0, int64 (as
//   PyTorch; convert with .to(kFloat32)); num_classes = -1 takes max(indices) + 1.
//   No gradient.
// Errors: DTypeError for non-int64 indices (or a non-float weight), ValueError naming
// the first index out of range, its position and the bound.
#pragma once

#include <cstdint>
#include <optional>

#include "framework/tensor.h"

namespace xgrad {

Tensor embedding(const Tensor& weight, const Tensor& indices,
                 std::optional<std::int64_t> padding_idx = std::nullopt);
Tensor embedding_backward(const Tensor& dy, const Tensor& indices, std::size_t num_weights,
                          std::optional<std::int64_t> padding_idx = std::nullopt);
Tensor one_hot(const Tensor& indices, std::int64_t num_classes = -1);

}  // namespace xgrad
