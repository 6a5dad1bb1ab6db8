// Shape glue (PyTorch's names): unsqueeze and squeeze add and remove size-1
// dimensions; stack, split, split_with_sizes and chunk join and cut along an axis.
//   unsqueeze(x, dim): y = x with a new size-1 dimension at `dim`, in
//             [-(rank+1), rank+1) (negative counts from the end of the result)
//   squeeze(x): y = x without its size-1 dimensions; squeeze(x, dim): without
//             `dim` if it has size 1 (otherwise y = x, as PyTorch)
//     backward (both): dx = reshape(dy, x.shape)              saves x's shape
//   stack(xs, dim): y = concat of the unsqueezed xs along the new `dim`
//             (xs all of one shape and dtype; dim in [-(rank+1), rank+1))
//   split(x, split_size, dim): pieces of split_size along dim, the last one
//             shorter if the size does not divide (PyTorch's torch.split)
//   split_with_sizes(x, sizes, dim): pieces of the given sizes, which must sum
//             to x.shape[dim]
//   chunk(x, chunks, dim): split with split_size = ceil(n / chunks), so there
//             may be fewer than `chunks` pieces (as torch.chunk)
//     stack and the splits are composites of unsqueeze, concat and slice (no
//     backward of their own); every piece is a copy (xgrad has no views).
#pragma once

#include <cstdint>
#include <vector>

#include "framework/tensor.h"

namespace xgrad {

Tensor unsqueeze(const Tensor& x, std::int64_t dim);
Tensor squeeze(const Tensor& x);
Tensor squeeze(const Tensor& x, std::int64_t dim);
// REQUIRES: at least one tensor.
Tensor stack(const std::vector<Tensor>& xs, std::int64_t dim = 0);
std::vector<Tensor> split(const Tensor& x, std::int64_t split_size, std::int64_t dim = 0);
std::vector<Tensor> split_with_sizes(const Tensor& x, const std::vector<std::int64_t>& sizes,
                                     std::int64_t dim = 0);
std::vector<Tensor> chunk(const Tensor& x, std::int64_t chunks, std::int64_t dim = 0);

}  // namespace xgrad
