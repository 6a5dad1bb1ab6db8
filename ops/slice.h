// Slicing: a half-open range of one axis (a copy).
//   forward:  y = x[..., begin:end, ...]   (along `axis`; slice_rows: axis 0, the
//             mini-batch case)
//   backward: dx = slice_backward(dy, x.shape, axis, begin): zeros of x's shape
//             with dx[..., begin:end, ...] = dy; its own gradient is slice(g, ...)
//             saves x's shape, the axis and begin
//   shapes:   x (..., n, ...) -> (..., end - begin, ...); REQUIRES begin <= end <= n.
//             axis may be negative (counted from the end).
#pragma once

#include <cstddef>

#include "framework/tensor.h"

namespace xgrad {

Tensor slice(const Tensor& x, int axis, std::size_t begin, std::size_t end);
Tensor slice_rows(const Tensor& x, std::size_t begin, std::size_t end);
// The gradient of slice: dy placed at [begin, begin + dy.shape[axis]) of a
// zero tensor of `shape` along `axis`.
Tensor slice_backward(const Tensor& dy, const Shape& shape, int axis, std::size_t begin);


}  // namespace xgrad
