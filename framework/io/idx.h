// IDX files: the MNIST / Fashion-MNIST format (LeCun et al.).
//
// An IDX file is a big-endian header followed by raw data: a magic number
// 0x0000TTRR (TT the element type, 0x08 = unsigned byte; RR the rank), RR
// 32-bit dimensions, then the elements in row-major order. Labels are
// rank 1 (magic 0x00000801), images rank 3 (magic 0x00000803: count, rows,
// columns). Files may be gzip-compressed (detected by the 1f 8b magic, read
// through zlib) or plain.
//
// Every problem — a missing file, a wrong magic, a truncated or corrupt
// (gzip) stream, trailing bytes — throws FileError "<path>: <what is wrong>",
// e.g. "/data/x.gz: truncated: expected 47040000 bytes of pixels, got 1000".
// Bounded reading: the header's dimensions give the exact data size; a
// plain file's size is checked against it before anything is allocated,
// and a gzip stream is inflated only up to it: the first byte past it
// stops the reading ("corrupt: more than the N bytes of pixels the header
// declares"), so a small file cannot inflate into gigabytes. Memory grows
// with the bytes actually read, never with a header's claim alone, and an
// allocation that fails is a FileError too, not a bad_alloc.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "framework/array.h"

namespace xgrad {

// How read_idx_images shapes the images.
enum class ImageLayout {
  kFlat,      // (N, rows * cols): one row per image, for MLPs
  kChannels,  // (N, 1, rows, cols): one channel, for convolutions
};

// Images as `dtype`, pixel bytes scaled to [0, 1] (value / 255).
Array read_idx_images(const std::string& path, ImageLayout layout = ImageLayout::kFlat,
                      DType dtype = kFloat32);

// Labels as integers (0..255 for unsigned bytes).
std::vector<int> read_idx_labels(const std::string& path);

}  // namespace xgrad
