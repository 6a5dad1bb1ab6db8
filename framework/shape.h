// Shape: the dimensions of an Array, outermost first (row-major).
//
// It is xtensor's own dynamic shape type, so an Array's shape is used as is,
// without conversion, on every op.
#pragma once

#include <cstddef>
#include <string>
#include <vector>
#include <xtensor/xstorage.hpp>

namespace xgrad {

using Shape = xt::svector<std::size_t, 4>;

// Number of elements of a shape (1 for a scalar shape).
inline std::size_t shape_size(const Shape& shape) {
  std::size_t n = 1;
  for (std::size_t d : shape) n *= d;
  return n;
}

// The multi-index of flat element `flat` of a row-major array of `shape`,
// e.g. unravel_index(4, {2, 3}) = {1, 1}. REQUIRES: flat < shape_size(shape).
inline std::vector<std::size_t> unravel_index(std::size_t flat, const Shape& shape) {
  std::vector<std::size_t> index(shape.size());
  for (std::size_t d = shape.size(); d-- > 0;) {
    index[d] = shape[d] ? flat % shape[d] : 0;
    flat = shape[d] ? flat / shape[d] : 0;
  }
  return index;
}

// A multi-index as messages print it: "(1, 1)".
inline std::string format_index(const std::vector<std::size_t>& index) {
  std::string out = "(";
  for (std::size_t d = 0; d < index.size(); ++d) out += (d ? ", " : "") + std::to_string(index[d]);
  return out + ")";
}

// format_index(unravel_index(flat, shape)): "(1, 1)" for element 4 of a (2, 3) array.
inline std::string format_index(const Shape& shape, std::size_t flat) {
  return format_index(unravel_index(flat, shape));
}

}  // namespace xgrad
