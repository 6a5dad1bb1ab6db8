// .npz files: NumPy's archive of named arrays (numpy.savez), via libzip.
//
// An .npz is a zip archive with one .npy file (framework/io/npy.h) per array,
// named "<name>.npy"; names may contain '/' ("model/0.weight"), and
// numpy.load(path)["model/0.weight"] reads them back. Arrays are written
// stored (as numpy.savez) or deflated (as numpy.savez_compressed); reading
// takes either, and the dtypes npy.h lists. Entry order is preserved.
//
// Note [Atomic writes]: save_npz goes through write_atomically
// (framework/io/atomic_file.h): libzip writes "<path>.tmp.<pid>" in the
// target's directory, which is fsynced and renamed over `path`. A reader
// sees the old file or the new one, never a mix; an exception, a crash or
// a kill before the rename leaves the old file untouched (a kill leaves
// the temporary file behind, until the next write to the path removes it).
//
// Errors: FileError naming the file and, for a bad entry, the entry:
//   "ckpt.npz: entry 'model/0.weight.npy': CRC error"
// (names from the file are quoted as short, escaped excerpts).
//
// Bounded reading: an entry's declared (uncompressed) size must be what its
// .npy header's shape gives and at most what its compressed bytes can
// inflate to (1:1 stored, 1032:1 deflated; other compression methods are
// refused), all checked before the array is allocated; the data is read
// straight into the array, and the first byte past the declared size stops
// the reading. Names must be distinct. A failed allocation is a FileError.
// Thread safety: pure functions; concurrent writers of one path each
// write their own temporary file and the last rename wins.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "framework/io/npy.h"
#include "framework/named_arrays.h"

namespace xgrad {

// REQUIRES: names non-empty, distinct and without NUL bytes, arrays defined (ValueError
// otherwise, before anything is written).
void save_npz(const std::string& path, const NamedArrays& arrays, bool compress = false);

// The arrays in archive order, named without the ".npy" suffix.
NamedArrays load_npz(const std::string& path);

// load_npz of an archive in memory; `name` stands for the file in messages.
NamedArrays load_npz_buffer(const void* data, std::size_t size, const std::string& name);

// One archive entry as the decoder sees it, whoever unpacks the archive
// (libzip in load_npz; a test or a fuzzer may supply its own, so xgrad's
// checks are exercised without a valid zip around them).
struct NpzEntry {
  std::string name;         // as stored, e.g. "model/0.weight.npy"
  std::uint64_t size = 0;   // the uncompressed size the archive declares
  std::uint64_t limit = 0;  // the most its compressed bytes can inflate to
  ByteReader read;          // the uncompressed bytes
};

// The entry's name without ".npy" and its array; FileError naming `path`
// and the entry.
std::pair<std::string, Array> read_npz_entry(const std::string& path, const NpzEntry& entry);

// The arrays of entries 0..count-1, opened in order by `open`; FileError
// when a name appears twice.
NamedArrays read_npz_entries(const std::string& path, std::size_t count,
                             const std::function<NpzEntry(std::size_t)>& open);

}  // namespace xgrad
