// Transpose (2-D) and permute (any rank): the same elements with their axes
// reordered. A copy: xgrad has no strided views.
//   forward:  transpose: y[j, i] = x[i, j]                   (Θᵀ in L7's δ(l) = Θᵀ δ(l+1))
//             permute:   y.shape[d] = x.shape[axes[d]], y[i_0, ..., i_{r-1}] = x[j] with
//                        j[axes[d]] = i_d
//   backward: dx = permute(dy, inverse(axes))    saves the axes (transpose: (1, 0))
//   shapes:   transpose: (m, n) -> (n, m)
//             permute:   rank r -> rank r; axes a permutation of 0..r-1 (each may
//                        be negative, counted from the end, as in PyTorch)
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "framework/tensor.h"

namespace xgrad {

Tensor transpose(const Tensor& x);
// PyTorch's transpose(x, dim0, dim1): the two axes swapped (a permute; axes
// may be negative), e.g. transpose(k, -2, -1) for attention scores.
Tensor transpose(const Tensor& x, std::int64_t dim0, std::int64_t dim1);
Tensor permute(const Tensor& x, const std::vector<std::int64_t>& axes);

namespace kernels {
// The permuted copy. REQUIRES: axes is a permutation of 0..x.dim()-1.
Array permute(const Array& x, const std::vector<std::size_t>& axes);
}  // namespace kernels

}  // namespace xgrad
