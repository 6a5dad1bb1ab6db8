// Shape: the dimensions of an Array, outermost first (row-major).
//
// It is xtensor's own dynamic shape type, so an Array's shape is used as is,
// without conversion, on every op.
#pragma once

#include <cstddef>
#include <xtensor/xstorage.hpp>

namespace xgrad {

using Shape = xt::svector<std::size_t, 4>;

// Number of elements of a shape (1 for a scalar shape).
inline std::size_t shape_size(const Shape& shape) {
  std::size_t n = 1;
  for (std::size_t d : shape) n *= d;
  return n;
}

}  // namespace xgrad
