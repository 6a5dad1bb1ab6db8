// Small formatting helpers for models' names and messages.
//   format_number(0.001)          "0.001"   (iostream's default %g, 6 digits)
//   format_index({2, 3}, 4)       "(1, 1)"  (the multi-index of flat element 4, row-major)
#pragma once

#include <cstddef>
#include <sstream>
#include <string>
#include <vector>

#include "framework/shape.h"

namespace xgrad {

inline std::string format_number(double value) {
  std::ostringstream os;
  os << value;
  return os.str();
}

inline std::string format_index(const Shape& shape, std::size_t flat) {
  std::vector<std::size_t> index(shape.size());
  for (std::size_t d = shape.size(); d-- > 0;) {
    index[d] = shape[d] ? flat % shape[d] : 0;
    flat = shape[d] ? flat / shape[d] : 0;
  }
  std::string out = "(";
  for (std::size_t d = 0; d < index.size(); ++d) out += (d ? ", " : "") + std::to_string(index[d]);
  return out + ")";
}

}  // namespace xgrad
