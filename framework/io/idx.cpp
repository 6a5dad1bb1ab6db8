#include "framework/io/idx.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>

#include "framework/parallel.h"

namespace xgrad {

namespace {

constexpr std::uint32_t kLabelsMagic = 0x00000801;  // unsigned bytes, rank 1
constexpr std::uint32_t kImagesMagic = 0x00000803;  // unsigned bytes, rank 3

// The decompressed size to expect: a gzip file's trailer holds it (mod
// 2^32), a plain file's size is its own; 0 when unknown. Only a hint for
// reserving memory, bounded by what the compressed bytes can hold.
std::uint64_t size_hint(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return 0;
  unsigned char magic[2] = {0, 0}, isize[4] = {0, 0, 0, 0};
  std::uint64_t hint = 0;
  if (std::fread(magic, 1, 2, f) == 2 && std::fseek(f, 0, SEEK_END) == 0) {
    long size = std::ftell(f);
    if (magic[0] == 0x1f && magic[1] == 0x8b) {
      if (size >= 4 && std::fseek(f, -4, SEEK_END) == 0 && std::fread(isize, 1, 4, f) == 4) {
        hint = std::uint64_t(isize[0]) | std::uint64_t(isize[1]) << 8 |
               std::uint64_t(isize[2]) << 16 | std::uint64_t(isize[3]) << 24;
        hint = std::min(hint, std::uint64_t(size) * 1032);  // deflate expands at most 1032:1
      }
    } else if (size > 0) {
      hint = std::uint64_t(size);
    }
  }
  std::fclose(f);
  return hint;
}

std::uint32_t read_be32(const unsigned char* p) {
  return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 |
         std::uint32_t(p[3]);
}

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

// A file read through zlib, which passes plain files through unchanged and
// inflates gzip ones (it looks for the 1f 8b magic itself).
class Reader {
 public:
  explicit Reader(const std::string& path) : path_(path) {
    errno = 0;
    f_ = gzopen(path.c_str(), "rb");
    if (f_ == nullptr) {
      throw FileError(path +
                      ": cannot open: " + (errno != 0 ? std::strerror(errno) : "out of memory"));
    }
    gzbuffer(f_, 1 << 16);
  }
  ~Reader() { gzclose(f_); }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  bool compressed() { return gzdirect(f_) == 0; }

  // Reads up to n bytes; fewer only at the end of the data. A corrupt
  // stream or a read error throws; a gzip stream cut short sets truncated().
  std::size_t read(unsigned char* p, std::size_t n) {
    std::size_t got = 0;
    while (got < n) {
      unsigned want = unsigned(std::min<std::size_t>(n - got, 1 << 20));
      int r = gzread(f_, p + got, want);
      if (r <= 0) {
        check_error();
        break;
      }
      got += std::size_t(r);
    }
    return got;
  }

  bool truncated() const { return truncated_; }

 private:
  void check_error() {
    int code = Z_OK;
    const char* what = gzerror(f_, &code);
    std::string message = what != nullptr ? what : "";
    // zlib puts the path first.
    if (message.rfind(path_ + ": ", 0) == 0) message.erase(0, path_.size() + 2);
    if (code == Z_BUF_ERROR) {
      truncated_ = true;
    } else if (code == Z_ERRNO) {
      throw FileError(path_ + ": read error: " + std::strerror(errno));
    } else if (code == Z_MEM_ERROR) {
      throw std::bad_alloc();
    } else if (code != Z_OK) {
      throw FileError(path_ + ": corrupt gzip stream: " + message);
    }
  }

  const std::string& path_;
  gzFile f_ = nullptr;
  bool truncated_ = false;
};

// The header's dimensions and the data, exactly as many bytes as the
// dimensions multiply to: the reading stops at the first byte past them.
struct Idx {
  std::vector<std::uint32_t> dims;
  std::vector<unsigned char> data;
};

Idx read_idx(const std::string& path, std::uint32_t magic, const char* kind, const char* unit) {
  Reader in(path);
  unsigned char head[4 + 4 * 255];
  std::size_t got = in.read(head, 4);
  if (got < 4) {
    throw FileError(path + ": truncated: expected a 4-byte IDX magic number, got " +
                    std::to_string(got) + " bytes");
  }
  std::uint32_t found = read_be32(head);
  if (found != magic) {
    throw FileError(path + ": wrong magic number " + hex32(found) + ", expected " + hex32(magic) +
                    " (" + kind + ")");
  }
  Idx idx;
  std::size_t rank = magic & 0xff;
  std::size_t header = 4 + 4 * rank;
  got = in.read(head + 4, 4 * rank);
  if (got < 4 * rank) {
    throw FileError(path + ": truncated: expected " + std::to_string(4 * rank) +
                    " bytes of dimensions, got " + std::to_string(got));
  }
  // The non-zero dimensions must fit the address space as float64, or
  // the array's strides overflow even when a zero dimension makes the
  // byte count 0 (images (0, 2^32-1, 2^32-1)).
  constexpr std::uint64_t kMaxElements = std::uint64_t(PTRDIFF_MAX) / 8;
  std::uint64_t nonzero = 1;
  bool empty = false;
  for (std::size_t i = 0; i < rank; ++i) {
    idx.dims.push_back(read_be32(head + 4 + 4 * i));
    if (idx.dims.back() == 0) {
      empty = true;
    } else if (__builtin_mul_overflow(nonzero, std::uint64_t(idx.dims.back()), &nonzero) ||
               nonzero > kMaxElements) {
      throw FileError(path + ": corrupt: dimensions multiply to more than 2^60 " + unit);
    }
  }
  const std::uint64_t count = empty ? 0 : nonzero;
  auto mismatch = [&](std::uint64_t n) {
    return FileError(path + ": " + (n < count ? "truncated" : "corrupt") + ": expected " +
                     std::to_string(count) + " bytes of " + unit + ", got " + std::to_string(n));
  };
  const bool compressed = in.compressed();
  const std::uint64_t hint = size_hint(path);
  // A plain file's size is known: check it before allocating anything.
  if (!compressed && hint != 0 && hint - header != count) throw mismatch(hint - header);

  // Memory follows the bytes actually inflated, never a header's claim
  // alone: reserve what the file holds (a plain file's size; a gzip
  // trailer's size only up to 256 MiB, as the trailer may lie too), then
  // read in steps that grow with what has arrived, up to `count`.
  constexpr std::uint64_t kTrustedHint = std::uint64_t(256) << 20;
  idx.data.reserve(std::size_t(std::min({count, hint, compressed ? kTrustedHint : hint})));
  std::uint64_t filled = 0;
  while (filled < count) {
    const std::uint64_t grow = std::max<std::uint64_t>(filled, 1 << 16);
    const std::size_t step = std::size_t(std::min(count - filled, grow));
    idx.data.resize(filled + step);
    std::size_t n = in.read(idx.data.data() + filled, step);
    filled += n;
    if (n < step) throw mismatch(filled);
  }
  // One byte more than the header declares ends the reading: a gzip bomb
  // behind a small header is not inflated any further.
  unsigned char extra;
  if (in.read(&extra, 1) != 0) {
    throw FileError(path + ": corrupt: more than the " + std::to_string(count) + " bytes of " +
                    unit + " the header declares (stopped at the first byte past them)");
  }
  if (in.truncated()) {
    throw FileError(path + ": truncated: the gzip stream ends early (unexpected end of file)");
  }
  return idx;
}

// The readers' failures are FileErrors; an allocation the header asks for
// and the memory (or `ulimit -v`) cannot give is one too.
template <class F>
auto guard_memory(const std::string& path, F&& read) -> decltype(read()) {
  try {
    return read();
  } catch (const std::bad_alloc&) {
    throw FileError(path + ": out of memory for the data its header declares");
  }
}

}  // namespace

Array read_idx_images(const std::string& path, ImageLayout layout, DType dtype) {
  return guard_memory(path, [&] {
    Idx idx = read_idx(path, kImagesMagic, "IDX images", "pixels");
    std::size_t n = idx.dims[0], rows = idx.dims[1], cols = idx.dims[2];
    Shape shape = layout == ImageLayout::kFlat ? Shape{n, rows * cols} : Shape{n, 1, rows, cols};
    Array out = Array::empty(shape, dtype);
    dispatch(dtype, [&](auto tag) {
      using T = decltype(tag);
      // A table keeps every pixel value exactly byte / 255 rounded once.
      std::array<T, 256> scale;
      for (std::size_t v = 0; v < 256; ++v) scale[v] = T(double(v) / 255.0);
      const unsigned char* src = idx.data.data();
      T* dst = out.data<T>();
      parallel_for(0, idx.data.size(), kElementwiseGrain, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) dst[i] = scale[src[i]];
      });
    });
    return out;
  });
}

std::vector<int> read_idx_labels(const std::string& path) {
  return guard_memory(path, [&] {
    Idx idx = read_idx(path, kLabelsMagic, "IDX labels", "labels");
    return std::vector<int>(idx.data.begin(), idx.data.end());
  });
}

}  // namespace xgrad
