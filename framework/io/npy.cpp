#include "framework/io/npy.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <new>
#include <vector>

#include "framework/io/excerpt.h"

namespace xgrad {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the .npy codec assumes a little-endian host");

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicLen = 6;
// NumPy's own limits: at most 64 dimensions (NPY_MAXDIMS in NumPy 2; 32
// before), and it refuses headers over 10000 bytes unless told otherwise.
constexpr std::size_t kMaxRank = 64;
constexpr std::size_t kMaxHeader = 65536;

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
      const std::size_t key_at = i_;
      std::string key = string_literal();
      expect(':');
      if ((key == "descr" && h.has_descr) || (key == "fortran_order" && h.has_order) ||
          (key == "shape" && h.has_shape)) {
        i_ = key_at;
        fail("duplicate key '" + key + "'");
      }
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
        i_ = key_at;
        fail("unexpected key");
      }
      if (!peek('}')) expect(',');
    }
    expect('}');
    skip_space();
    if (i_ != s_.size()) fail("unexpected text after the closing '}'");
    if (!h.has_descr || !h.has_order || !h.has_shape) {
      throw FileError(where_ +
                      ": corrupt .npy header: the header needs 'descr', 'fortran_order' and "
                      "'shape'");
    }
    return h;
  }

 private:
  // Quotes a short excerpt from where parsing stopped, never the whole
  // header: it may be 64 KiB of anything.
  [[noreturn]] void fail(const std::string& what) {
    skip_space();
    throw FileError(where_ + ": corrupt .npy header: " + what +
                    (i_ < s_.size() ? " at byte " + std::to_string(i_) + ": " +
                                          excerpt(std::string_view(s_).substr(i_))
                                    : " at its end"));
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
      const std::size_t at = i_;
      std::uint64_t d = 0;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
        if (d > (UINT64_MAX - 9) / 10) {
          i_ = at;
          fail("dimension too large");
        }
        d = d * 10 + std::uint64_t(s_[i_++] - '0');
      }
      if (peek('L')) ++i_;  // Python 2 long
      if (shape.size() == kMaxRank) {
        i_ = at;
        fail("more than " + std::to_string(kMaxRank) + " dimensions");
      }
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
    return FileError(where + ": unsupported dtype " + excerpt(d) +
                     " (supported: float32/64, signed and unsigned integers, bool)");
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
  const bool f32 = array.dtype() == kFloat32, i64 = array.dtype() == kInt64;
  std::string dict = std::string("{'descr': '") +
                     (f32   ? "<f4"
                      : i64 ? "<i8"
                            : "<f8") +
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
  const char* data = f32   ? reinterpret_cast<const char*>(array.data<float>())
                     : i64 ? reinterpret_cast<const char*>(array.data<std::int64_t>())
                           : reinterpret_cast<const char*>(array.data<double>());
  out.append(data, bytes);
  return out;
}

namespace {

// Reads exactly n bytes unless the source ends first; returns how many.
std::size_t read_fully(const ByteReader& read, unsigned char* p, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    std::size_t r = read(p + got, n - got);
    if (r == 0) break;
    got += r;
  }
  return got;
}

// The array's size in bytes as stored, after checking every dimension:
// the product of the non-zero ones must fit the address space as float64
// (the widest element read_npy produces) so that strides cannot overflow,
// even when a zero dimension makes the element count 0.
std::uint64_t checked_bytes(const Header& h, const Elem& e, const std::string& where) {
  auto too_large = [&]() {
    return FileError(where + ": corrupt .npy header: shape " + shape_literal(h.shape) +
                     " is too large");
  };
  constexpr std::uint64_t kMaxElements = std::uint64_t(PTRDIFF_MAX) / 8;
  std::uint64_t nonzero = 1;
  bool empty = false;
  for (std::size_t d : h.shape) {
    if (d == 0) {
      empty = true;
      continue;
    }
    if (__builtin_mul_overflow(nonzero, std::uint64_t(d), &nonzero) || nonzero > kMaxElements) {
      throw too_large();
    }
  }
  return empty ? 0 : nonzero * e.size;
}

}  // namespace

Array read_npy(const ByteReader& read, std::uint64_t size, const std::string& where) {
  unsigned char prefix[12];
  std::size_t got = read_fully(read, prefix, 8);
  if (got < 8 || size < kMagicLen + 4 || std::memcmp(prefix, kMagic, kMagicLen) != 0) {
    throw FileError(where + ": not a .npy array (no \\x93NUMPY magic)");
  }
  const unsigned major = prefix[6], minor = prefix[7];
  if (major < 1 || major > 3 || minor != 0) {
    throw FileError(where + ": unsupported .npy version " + std::to_string(major) + "." +
                    std::to_string(minor) + " (known: 1.0, 2.0, 3.0)");
  }
  const std::size_t prefix_len = major == 1 ? 10 : 12;
  if (size < prefix_len || read_fully(read, prefix + 8, prefix_len - 8) < prefix_len - 8) {
    throw FileError(where + ": truncated .npy header");
  }
  std::size_t header_len = std::size_t(prefix[8]) | std::size_t(prefix[9]) << 8;
  if (major > 1) header_len |= std::size_t(prefix[10]) << 16 | std::size_t(prefix[11]) << 24;
  if (size - prefix_len < header_len) {
    throw FileError(where + ": truncated: expected a " + std::to_string(header_len) +
                    "-byte .npy header, got " + std::to_string(size - prefix_len));
  }
  if (header_len > kMaxHeader) {
    throw FileError(where + ": corrupt .npy header: " + std::to_string(header_len) +
                    " bytes long, more than the " + std::to_string(kMaxHeader) + " accepted");
  }
  std::string text(header_len, '\0');
  if (read_fully(read, reinterpret_cast<unsigned char*>(text.data()), header_len) < header_len) {
    throw FileError(where + ": truncated .npy header");
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  Header h = HeaderParser(text, where).parse();
  Elem e = parse_descr(h.descr, where);
  if (h.fortran_order) {
    throw FileError(where +
                    ": fortran_order True is not supported (save a C-ordered array, "
                    "e.g. numpy.ascontiguousarray)");
  }
  const std::uint64_t bytes = checked_bytes(h, e, where);
  const std::uint64_t count = bytes / e.size;
  // The declared size must hold exactly the data before anything is
  // allocated: a header cannot ask for more memory than its file justifies.
  const std::uint64_t declared = size - prefix_len - header_len;
  auto mismatch = [&](std::uint64_t n) {
    return FileError(where + ": " + (n < bytes ? "truncated" : "corrupt") + ": expected " +
                     std::to_string(bytes) + " bytes of data for shape " + shape_literal(h.shape) +
                     " " + h.descr + ", got " + std::to_string(n));
  };
  if (declared != bytes) throw mismatch(declared);
  const bool native_f4 = e.kind == 'f' && e.size == 4 && !e.swap;
  const bool native_f8 = e.kind == 'f' && e.size == 8 && !e.swap;
  const bool i8 = e.kind == 'i' && e.size == 8;  // int64, exactly
  Array out;
  try {
    out = Array::empty(h.shape, native_f4 ? kFloat32 : i8 ? kInt64 : kFloat64);
  } catch (const std::bad_alloc&) {
    throw FileError(where + ": out of memory for the shape " + shape_literal(h.shape) +
                    " array its header declares");
  }
  if (native_f4 || native_f8 || i8) {
    unsigned char* dst = native_f4 ? reinterpret_cast<unsigned char*>(out.data<float>())
                         : i8      ? reinterpret_cast<unsigned char*>(out.data<std::int64_t>())
                                   : reinterpret_cast<unsigned char*>(out.data<double>());
    const std::uint64_t n = bytes > 0 ? read_fully(read, dst, bytes) : 0;
    if (n < bytes) throw mismatch(n);
    if (i8 && e.swap) {
      for (std::uint64_t k = 0; k < count; ++k) std::reverse(dst + 8 * k, dst + 8 * (k + 1));
    }
  } else {
    // Converted in blocks: no second copy of the whole data.
    unsigned char block[1 << 14];
    const std::size_t per_block = sizeof block / e.size;
    double* dst = count > 0 ? out.data<double>() : nullptr;
    for (std::uint64_t i = 0; i < count; i += per_block) {
      const std::size_t n = std::size_t(std::min<std::uint64_t>(per_block, count - i));
      const std::size_t r = read_fully(read, block, n * e.size);
      if (r < n * e.size) throw mismatch(i * e.size + r);
      for (std::size_t k = 0; k < n; ++k) dst[i + k] = element(e, block + k * e.size);
    }
  }
  unsigned char extra;
  if (read_fully(read, &extra, 1) != 0) {
    throw FileError(where + ": corrupt: more than the " + std::to_string(size) +
                    " bytes declared for the .npy data");
  }
  return out;
}

Array decode_npy(const unsigned char* data, std::size_t size, const std::string& where) {
  std::size_t offset = 0;
  ByteReader from_memory = [&](unsigned char* p, std::size_t n) {
    n = std::min(n, size - offset);
    if (n > 0) std::memcpy(p, data + offset, n);
    offset += n;
    return n;
  };
  return read_npy(from_memory, size, where);
}

}  // namespace xgrad
