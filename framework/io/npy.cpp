#include "framework/io/npy.h"

#include <cctype>
#include <cstdint>
#include <cstring>
#include <vector>

namespace xgrad {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the .npy codec assumes a little-endian host");

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicLen = 6;

std::string shape_literal(const Shape& shape) {
  if (shape.empty()) return "()";
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

struct Header {
  std::string descr;
  bool fortran_order = false;
  Shape shape;
  bool has_descr = false, has_order = false, has_shape = false;
};

// A parser for the one dict literal numpy writes: string keys; string,
// True/False and tuple-of-integers values.
class HeaderParser {
 public:
  HeaderParser(const std::string& text, const std::string& where) : s_(text), where_(where) {}

  Header parse() {
    Header h;
    expect('{');
    while (!peek('}')) {
      std::string key = string_literal();
      expect(':');
      if (key == "descr") {
        if (peek('[')) fail("structured dtypes are not supported");
        h.descr = string_literal();
        h.has_descr = true;
      } else if (key == "fortran_order") {
        h.fortran_order = boolean();
        h.has_order = true;
      } else if (key == "shape") {
        h.shape = tuple();
        h.has_shape = true;
      } else {
        fail("unexpected key '" + key + "'");
      }
      if (!peek('}')) expect(',');
    }
    expect('}');
    if (!h.has_descr || !h.has_order || !h.has_shape) {
      fail("the header needs 'descr', 'fortran_order' and 'shape'");
    }
    return h;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw FileError(where_ + ": corrupt .npy header: " + what + ": " + s_);
  }
  void skip_space() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool peek(char c) {
    skip_space();
    return i_ < s_.size() && s_[i_] == c;
  }
  void expect(char c) {
    if (!peek(c)) fail(std::string("expected '") + c + "'");
    ++i_;
  }
  std::string string_literal() {
    skip_space();
    if (i_ >= s_.size() || (s_[i_] != '\'' && s_[i_] != '"')) fail("expected a string");
    char quote = s_[i_++];
    std::size_t end = s_.find(quote, i_);
    if (end == std::string::npos) fail("unterminated string");
    std::string out = s_.substr(i_, end - i_);
    i_ = end + 1;
    return out;
  }
  bool boolean() {
    skip_space();
    if (s_.compare(i_, 4, "True") == 0) return i_ += 4, true;
    if (s_.compare(i_, 5, "False") == 0) return i_ += 5, false;
    fail("expected True or False");
  }
  Shape tuple() {
    Shape shape;
    expect('(');
    while (!peek(')')) {
      if (i_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[i_]))) {
        fail("expected a dimension");
      }
      std::uint64_t d = 0;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
        if (d > (UINT64_MAX - 9) / 10) fail("dimension too large");
        d = d * 10 + std::uint64_t(s_[i_++] - '0');
      }
      if (peek('L')) ++i_;  // Python 2 long
      shape.push_back(std::size_t(d));
      if (!peek(')')) expect(',');
    }
    expect(')');
    return shape;
  }

  const std::string& s_;
  const std::string& where_;
  std::size_t i_ = 0;
};

// Element type of a 'descr' such as '<f4'.
struct Elem {
  char kind;  // 'f', 'i', 'u', 'b'
  std::size_t size;
  bool swap;  // big-endian on this little-endian host
};

Elem parse_descr(const std::string& d, const std::string& where) {
  auto bad = [&]() -> FileError {
    return FileError(where + ": unsupported dtype '" + d +
                     "' (supported: float32/64, signed and unsigned integers, bool)");
  };
  if (d.size() < 3 || std::string("<>|=").find(d[0]) == std::string::npos) throw bad();
  Elem e{d[1], 0, d[0] == '>'};
  std::string digits = d.substr(2);
  if (digits == "1")
    e.size = 1;
  else if (digits == "2")
    e.size = 2;
  else if (digits == "4")
    e.size = 4;
  else if (digits == "8")
    e.size = 8;
  else
    throw bad();
  bool ok = (e.kind == 'f' && e.size >= 4) || e.kind == 'i' || e.kind == 'u' ||
            (e.kind == 'b' && e.size == 1);
  if (!ok) throw bad();
  return e;
}

template <class S>
double load_as_double(const unsigned char* p, bool swap) {
  unsigned char b[sizeof(S)];
  std::memcpy(b, p, sizeof(S));
  if (swap) {
    for (std::size_t i = 0; i < sizeof(S) / 2; ++i) std::swap(b[i], b[sizeof(S) - 1 - i]);
  }
  S v;
  std::memcpy(&v, b, sizeof(S));
  return double(v);
}

double element(const Elem& e, const unsigned char* p) {
  switch (e.kind) {
    case 'f':
      return e.size == 4 ? load_as_double<float>(p, e.swap) : load_as_double<double>(p, e.swap);
    case 'b':
      return *p != 0 ? 1.0 : 0.0;
    case 'i':
      if (e.size == 1) return load_as_double<std::int8_t>(p, e.swap);
      if (e.size == 2) return load_as_double<std::int16_t>(p, e.swap);
      if (e.size == 4) return load_as_double<std::int32_t>(p, e.swap);
      return load_as_double<std::int64_t>(p, e.swap);
    default:
      if (e.size == 1) return load_as_double<std::uint8_t>(p, e.swap);
      if (e.size == 2) return load_as_double<std::uint16_t>(p, e.swap);
      if (e.size == 4) return load_as_double<std::uint32_t>(p, e.swap);
      return load_as_double<std::uint64_t>(p, e.swap);
  }
}

}  // namespace

std::string encode_npy(const Array& array) {
  if (!array.defined()) throw ValueError("encode_npy: undefined array");
  bool f32 = array.dtype() == kFloat32;
  std::string dict = std::string("{'descr': '") + (f32 ? "<f4" : "<f8") +
                     "', 'fortran_order': False, 'shape': " + shape_literal(array.shape()) + ", }";
  std::size_t unpadded = kMagicLen + 2 + 2 + dict.size() + 1;  // + the final '\n'
  dict += std::string((64 - unpadded % 64) % 64, ' ') + "\n";
  std::size_t bytes = array.size() * (f32 ? 4 : 8);
  std::string out;
  out.reserve(kMagicLen + 4 + dict.size() + bytes);
  out.append(kMagic, kMagicLen);
  out += char(1);
  out += char(0);
  out += char(dict.size() & 0xff);
  out += char(dict.size() >> 8);
  out += dict;
  const char* data = f32 ? reinterpret_cast<const char*>(array.data<float>())
                         : reinterpret_cast<const char*>(array.data<double>());
  out.append(data, bytes);
  return out;
}

Array decode_npy(const unsigned char* data, std::size_t size, const std::string& where) {
  if (size < kMagicLen + 4 || std::memcmp(data, kMagic, kMagicLen) != 0) {
    throw FileError(where + ": not a .npy array (no \\x93NUMPY magic)");
  }
  unsigned major = data[6];
  if (major < 1 || major > 3) {
    throw FileError(where + ": unsupported .npy version " + std::to_string(major) + "." +
                    std::to_string(data[7]));
  }
  std::size_t prefix = major == 1 ? 10 : 12;
  if (size < prefix) throw FileError(where + ": truncated .npy header");
  std::size_t header_len = std::size_t(data[8]) | std::size_t(data[9]) << 8;
  if (major > 1) header_len |= std::size_t(data[10]) << 16 | std::size_t(data[11]) << 24;
  if (size - prefix < header_len) {
    throw FileError(where + ": truncated: expected a " + std::to_string(header_len) +
                    "-byte .npy header, got " + std::to_string(size - prefix));
  }
  std::string text(reinterpret_cast<const char*>(data + prefix), header_len);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  Header h = HeaderParser(text, where).parse();
  Elem e = parse_descr(h.descr, where);
  if (h.fortran_order) {
    throw FileError(where +
                    ": fortran_order True is not supported (save a C-ordered array, "
                    "e.g. numpy.ascontiguousarray)");
  }
  std::uint64_t count = 1, bytes = 0;
  for (std::size_t d : h.shape) {
    if (__builtin_mul_overflow(count, std::uint64_t(d), &count)) {
      throw FileError(where + ": corrupt .npy header: shape " + shape_literal(h.shape) +
                      " is too large");
    }
  }
  if (__builtin_mul_overflow(count, std::uint64_t(e.size), &bytes)) {
    throw FileError(where + ": corrupt .npy header: shape " + shape_literal(h.shape) +
                    " is too large");
  }
  std::uint64_t got = size - prefix - header_len;
  if (got != bytes) {
    throw FileError(where + ": " + (got < bytes ? "truncated" : "corrupt") + ": expected " +
                    std::to_string(bytes) + " bytes of data for shape " + shape_literal(h.shape) +
                    " " + h.descr + ", got " + std::to_string(got));
  }
  const unsigned char* src = data + prefix + header_len;
  bool native_f4 = e.kind == 'f' && e.size == 4 && !e.swap;
  Array out = Array::empty(h.shape, native_f4 ? kFloat32 : kFloat64);
  if (bytes == 0) return out;  // memcpy must not see a null pointer
  if (native_f4) {
    std::memcpy(out.data<float>(), src, bytes);
  } else if (e.kind == 'f' && e.size == 8 && !e.swap) {
    std::memcpy(out.data<double>(), src, bytes);
  } else {
    double* dst = out.data<double>();
    for (std::size_t i = 0; i < count; ++i) dst[i] = element(e, src + i * e.size);
  }
  return out;
}

}  // namespace xgrad
