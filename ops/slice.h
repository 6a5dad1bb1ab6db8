// Slicing: a half-open range of one axis (a copy).
//   forward:  y = x[..., begin:end, ...]   (along `axis`; slice_rows: axis 0, the
//             mini-batch case)
//   backward: dx = zeros of x's shape with dx[..., begin:end, ...] = dy
//             saves x's shape, the axis and begin
//   shapes:   x (..., n, ...) -> (..., end - begin, ...); REQUIRES begin <= end <= n.
//             axis may be negative (counted from the end).
#pragma once

#include <cstddef>
#include <string>

#include "framework/tensor.h"

namespace xgrad {

Tensor slice(const Tensor& x, int axis, std::size_t begin, std::size_t end);
Tensor slice_rows(const Tensor& x, std::size_t begin, std::size_t end);

namespace kernels {
// Along `axis`: dst[..., dst_begin + j, ...] = src[..., src_begin + j, ...]
// for j < len. The one copy under slice, concat and their gradients.
// REQUIRES: equal dtypes; src and dst equal in every dimension but `axis`;
// both ranges inside their arrays.
void copy_along_axis(const Array& src, std::size_t src_begin, Array& dst, std::size_t dst_begin,
                     std::size_t axis, std::size_t len);
}  // namespace kernels

}  // namespace xgrad
