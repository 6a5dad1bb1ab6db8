// The copy under slice, concat and their gradients.
// Thread safety: each call splits its own output across tasks.
#pragma once

#include <cstddef>

#include "framework/array.h"

namespace xgrad {
namespace kernels {
// Along `axis`: dst[..., dst_begin + j, ...] = src[..., src_begin + j, ...]
// for j < len. The one copy under slice, concat and their gradients.
// REQUIRES: equal dtypes; src and dst equal in every dimension but `axis`;
// both ranges inside their arrays.
void copy_along_axis(const Array& src, std::size_t src_begin, Array& dst, std::size_t dst_begin,
                     std::size_t axis, std::size_t len);
}  // namespace kernels
}  // namespace xgrad
