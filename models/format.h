// Small formatting helpers for models' names and messages (format_index
// is in framework/shape.h).
//   format_number(0.001)          "0.001"   (iostream's default %g, 6 digits)
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

}  // namespace xgrad
