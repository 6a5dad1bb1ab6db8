// format_number: a double as a short readable string for names and
// messages ("0.5", "0.001", "1e-08"): iostream's default %g, 6 digits.
#pragma once

#include <sstream>
#include <string>

namespace xgrad {

inline std::string format_number(double value) {
  std::ostringstream os;
  os << value;
  return os.str();
}

}  // namespace xgrad
