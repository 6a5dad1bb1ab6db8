// NumPy's .npy format, in memory: one array as bytes and back.
//
// Layout (numpy.lib.format): the magic "\x93NUMPY", a version (1.0; 2.0
// and 3.0 are read too, they only widen the header length), the header
// length (little-endian uint16, uint32 from 2.0), an ASCII Python dict
// literal such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and a final '\n' so the data starts at a multiple of
// 64 bytes, then the elements in C order.
// Writing: float32 as '<f4', float64 as '<f8', int64 as '<i8', version 1.0.
// Reading: '<f4' gives float32; i8 (either byte order) gives int64,
// exactly; '<f8' and the other integer and boolean dtypes (i1..i4,
// u1..u8, b1, either byte order, and big-endian floats) give float64
// (u8 values beyond 2^53 round). fortran_order True,
// structured, complex and string dtypes throw FileError.
// Checks, each a FileError naming the file (and entry): the version is
// 1.0, 2.0 or 3.0; the header is at most 64 KiB and one dict with the three
// keys, nothing after its '}'; at most 64 dimensions, and the non-zero ones
// multiply to at most 2^60 elements (a zero dimension does not hide an
// overflowing shape); the data is exactly the size the shape gives. The
// header is read and checked before the array is allocated; messages quote
// at most a short, escaped excerpt of it (framework/io/excerpt.h).
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "framework/array.h"

namespace xgrad {

// REQUIRES: `array` is defined.
std::string encode_npy(const Array& array);

// Parses a whole .npy file of `size` bytes; every problem throws FileError
// "<where>: <what is wrong>" (`where` names the file and, in an .npz, the
// entry).
Array decode_npy(const unsigned char* data, std::size_t size, const std::string& where);

// A source of bytes: copies up to n bytes to `buffer` and returns how many,
// 0 at the end; a read error throws FileError.
using ByteReader = std::function<std::size_t(unsigned char* buffer, std::size_t n)>;

// Reads one .npy file from `read`, which should hold `size` bytes (e.g. the
// size an .npz entry declares): the header is checked against `size` before
// the array is allocated, the data is read straight into the array, and the
// reading stops at the first byte past `size` (FileError: corrupt).
Array read_npy(const ByteReader& read, std::uint64_t size, const std::string& where);

}  // namespace xgrad
