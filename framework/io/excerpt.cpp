#include "framework/io/excerpt.h"

#include <cstdio>

namespace xgrad {

std::string excerpt(std::string_view bytes, std::size_t max_chars) {
  const std::size_t shown = bytes.size() < max_chars ? bytes.size() : max_chars;
  std::string out = "'";
  for (std::size_t i = 0; i < shown; ++i) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out += char(c);
        } else {
          char hex[5];
          std::snprintf(hex, sizeof hex, "\\x%02x", c);
          out += hex;
        }
    }
  }
  out += "'";
  if (shown < bytes.size()) out += "... (" + std::to_string(bytes.size()) + " bytes)";
  return out;
}

}  // namespace xgrad
