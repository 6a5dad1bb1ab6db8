// index_select: the entries of x at the given positions along one axis
// (PyTorch's torch.index_select), and its gradient.
//   forward:  y[..., j, ...] = x[..., index[j], ...]      (along `dim`)
//   backward: dx = index_select_backward(dy, index, x.shape, dim): zeros of x's
//             shape with dx[..., k, ...] = Σ_{j : index[j] = k} dy[..., j, ...]
//             (PyTorch's index_add), summed in ascending j by the task that
//             owns row k: deterministic, no atomics. index_select_backward is
//             linear in dy, its own gradient is index_select(g, dim, index).
//             saves nothing: reads index (an input of the op, never differentiated)
//   shapes:   x (..., n, ...), index (m) or () int64 with values in [0, n)
//             -> (..., m, ...) (a 0-d index counts as one entry)
//   errors:   DTypeError for a non-int64 index, ValueError naming the first
//             index out of range, its position and the bound; dim in [-rank, rank).
#pragma once

#include <cstdint>

#include "framework/tensor.h"

namespace xgrad {

Tensor index_select(const Tensor& x, std::int64_t dim, const Tensor& index);
Tensor index_select_backward(const Tensor& dy, const Tensor& index, const Shape& shape,
                             std::int64_t dim);

}  // namespace xgrad
