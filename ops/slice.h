// Slicing: a half-open range of one axis (a copy), PyTorch's Tensor::slice
// (and Python's x[begin:end] along `axis`).
//   forward:  y = x[..., begin:end, ...]   (along `axis`; slice_rows: axis 0, the
//             mini-batch case)
//   backward: dx = slice_backward(dy, x.shape, axis, begin): zeros of x's shape
//             with dx[..., begin:end, ...] = dy; its own gradient is slice(g, ...)
//             saves x's shape, the axis and begin
//   shapes:   x (..., n, ...) -> (..., len, ...), len = max(0, end - begin) after
//             the bounds are resolved as Python slices resolve them (as PyTorch):
//             a negative bound counts from the end (+ n), then both are clamped
//             to [0, n]; so slice(x, 0, -2) drops the last two rows and
//             slice(x, 0, 5, 100) of 3 rows is empty, never an error.
//             axis in [-rank, rank) (negative counts from the end).
// Steps other than 1 are not supported (index_select takes any positions).
#pragma once

#include <cstdint>
#include <limits>

#include "framework/tensor.h"

namespace xgrad {

Tensor slice(const Tensor& x, std::int64_t axis, std::int64_t begin = 0,
             std::int64_t end = std::numeric_limits<std::int64_t>::max());
Tensor slice_rows(const Tensor& x, std::int64_t begin,
                  std::int64_t end = std::numeric_limits<std::int64_t>::max());
// The gradient of slice: dy placed at [begin, begin + dy.shape[axis]) of a
// zero tensor of `shape` along `axis`. REQUIRES: 0 <= begin and the range
// inside `shape` (a ShapeError otherwise; no clamping here).
Tensor slice_backward(const Tensor& dy, const Shape& shape, std::int64_t axis, std::int64_t begin);

}  // namespace xgrad
