// Hand-made .npy bytes for the reader tests (and the fuzz seeds): the
// header written here, independently of encode_npy.
#pragma once

#include <initializer_list>
#include <string>

namespace xgrad::testing {

// A .npy file of format `major`.0 with the given header dict and raw data
// bytes, padded as numpy pads it (data at a multiple of 64).
inline std::string npy(const std::string& dict, const std::string& data, int major = 1) {
  const std::size_t prefix = major == 1 ? 10 : 12;
  std::string h = dict;
  while ((prefix + h.size() + 1) % 64 != 0) h += ' ';
  h += '\n';
  std::string out = std::string("\x93NUMPY", 6) + char(major) + '\0';
  for (std::size_t i = 0; i < (major == 1 ? 2u : 4u); ++i) out += char(h.size() >> (8 * i) & 0xff);
  return out + h + data;
}

// The bytes of `values` as stored in memory (little-endian here).
template <class T>
std::string raw(std::initializer_list<T> values) {
  std::string s;
  for (T v : values) s.append(reinterpret_cast<const char*>(&v), sizeof v);
  return s;
}

}  // namespace xgrad::testing
