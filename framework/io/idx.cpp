#include "framework/io/idx.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "framework/parallel.h"

namespace xgrad {

namespace {

constexpr std::uint32_t kLabelsMagic = 0x00000801;  // unsigned bytes, rank 1
constexpr std::uint32_t kImagesMagic = 0x00000803;  // unsigned bytes, rank 3

struct RawFile {
  std::vector<unsigned char> bytes;
  bool gzip_truncated = false;  // the gzip stream ended before its trailer
};

// The decompressed size to reserve: a gzip file's trailer holds it (mod
// 2^32), a plain file's size is its own; 0 when unknown.
std::size_t size_hint(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return 0;
  unsigned char magic[2] = {0, 0}, isize[4] = {0, 0, 0, 0};
  std::size_t hint = 0;
  if (std::fread(magic, 1, 2, f) == 2 && std::fseek(f, 0, SEEK_END) == 0) {
    long size = std::ftell(f);
    if (magic[0] == 0x1f && magic[1] == 0x8b) {
      if (size >= 4 && std::fseek(f, -4, SEEK_END) == 0 && std::fread(isize, 1, 4, f) == 4) {
        hint = std::size_t(isize[0]) | std::size_t(isize[1]) << 8 | std::size_t(isize[2]) << 16 |
               std::size_t(isize[3]) << 24;
        hint = std::min(hint, std::size_t(size) * 1032);  // deflate expands at most 1032:1
      }
    } else if (size > 0) {
      hint = std::size_t(size);
    }
  }
  std::fclose(f);
  return hint;
}

// Reads through zlib, which passes plain files through unchanged and
// inflates gzip ones (it looks for the 1f 8b magic itself).
RawFile read_raw(const std::string& path) {
  std::size_t hint = size_hint(path);
  errno = 0;
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) {
    throw FileError(path +
                    ": cannot open: " + (errno != 0 ? std::strerror(errno) : "out of memory"));
  }
  gzbuffer(f, 1 << 20);
  RawFile raw;
  raw.bytes.reserve(hint);
  std::vector<unsigned char> chunk(1 << 20);
  for (;;) {
    int n = gzread(f, chunk.data(), unsigned(chunk.size()));
    if (n <= 0) break;
    raw.bytes.insert(raw.bytes.end(), chunk.begin(), chunk.begin() + n);
  }
  int code = Z_OK;
  const char* what = gzerror(f, &code);
  std::string message = what != nullptr ? what : "";
  if (message.rfind(path + ": ", 0) == 0) message.erase(0, path.size() + 2);  // zlib adds the path
  if (code == Z_ERRNO) message = std::strerror(errno);
  gzclose(f);
  if (code == Z_BUF_ERROR) {
    raw.gzip_truncated = true;
  } else if (code == Z_ERRNO) {
    throw FileError(path + ": read error: " + message);
  } else if (code != Z_OK) {
    throw FileError(path + ": corrupt gzip stream: " + message);
  }
  return raw;
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

// The header's dimensions and where the data starts; the data length is
// checked against the product of the dimensions.
struct Idx {
  std::vector<std::uint32_t> dims;
  const unsigned char* data = nullptr;
  std::uint64_t count = 0;
};

Idx parse_idx(const std::string& path, const RawFile& raw, std::uint32_t magic, const char* kind,
              const char* unit) {
  const std::vector<unsigned char>& b = raw.bytes;
  if (b.size() < 4) {
    throw FileError(path + ": truncated: expected a 4-byte IDX magic number, got " +
                    std::to_string(b.size()) + " bytes");
  }
  std::uint32_t found = read_be32(b.data());
  if (found != magic) {
    throw FileError(path + ": wrong magic number " + hex32(found) + ", expected " + hex32(magic) +
                    " (" + kind + ")");
  }
  Idx idx;
  std::size_t rank = magic & 0xff;
  std::size_t header = 4 + 4 * rank;
  if (b.size() < header) {
    throw FileError(path + ": truncated: expected " + std::to_string(4 * rank) +
                    " bytes of dimensions, got " + std::to_string(b.size() - 4));
  }
  idx.count = 1;
  for (std::size_t i = 0; i < rank; ++i) {
    idx.dims.push_back(read_be32(b.data() + 4 + 4 * i));
    if (__builtin_mul_overflow(idx.count, std::uint64_t(idx.dims.back()), &idx.count)) {
      throw FileError(path + ": corrupt: dimensions multiply to more than 2^64 bytes");
    }
  }
  std::uint64_t got = b.size() - header;
  if (got != idx.count) {
    throw FileError(path + ": " + (got < idx.count ? "truncated" : "corrupt") + ": expected " +
                    std::to_string(idx.count) + " bytes of " + unit + ", got " +
                    std::to_string(got));
  }
  if (raw.gzip_truncated) {
    throw FileError(path + ": truncated: the gzip stream ends early (unexpected end of file)");
  }
  idx.data = b.data() + header;
  return idx;
}

}  // namespace

Array read_idx_images(const std::string& path, ImageLayout layout, DType dtype) {
  RawFile raw = read_raw(path);
  Idx idx = parse_idx(path, raw, kImagesMagic, "IDX images", "pixels");
  std::size_t n = idx.dims[0], rows = idx.dims[1], cols = idx.dims[2];
  Shape shape = layout == ImageLayout::kFlat ? Shape{n, rows * cols} : Shape{n, 1, rows, cols};
  Array out = Array::empty(shape, dtype);
  dispatch(dtype, [&](auto tag) {
    using T = decltype(tag);
    // A table keeps every pixel value exactly byte / 255 rounded once.
    std::array<T, 256> scale;
    for (std::size_t v = 0; v < 256; ++v) scale[v] = T(double(v) / 255.0);
    const unsigned char* src = idx.data;
    T* dst = out.data<T>();
    parallel_for(0, idx.count, kElementwiseGrain, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) dst[i] = scale[src[i]];
    });
  });
  return out;
}

std::vector<int> read_idx_labels(const std::string& path) {
  RawFile raw = read_raw(path);
  Idx idx = parse_idx(path, raw, kLabelsMagic, "IDX labels", "labels");
  return std::vector<int>(idx.data, idx.data + idx.count);
}

}  // namespace xgrad
