// .npz files: NumPy's archive of named arrays (numpy.savez), via libzip.
//
// An .npz is a zip archive with one .npy file (framework/npy.h) per array,
// named "<name>.npy"; names may contain '/' ("model/0.weight"), and
// numpy.load(path)["model/0.weight"] reads them back. Arrays are written
// stored (as numpy.savez) or deflated (as numpy.savez_compressed); reading
// takes either, and the dtypes npy.h lists. Entry order is preserved.
//
// Note [Atomic writes]: save_npz goes through write_atomically
// (framework/atomic_file.h): libzip writes "<path>.tmp.<pid>" in the
// target's directory, which is fsynced and renamed over `path`. A reader
// sees the old file or the new one, never a mix; an exception, a crash or
// a kill before the rename leaves the old file untouched (a kill may leave
// the temporary file behind).
//
// Errors: FileError naming the file and, for a bad entry, the entry:
//   "ckpt.npz: entry 'model/0.weight.npy': CRC error"
// Thread safety: pure functions; concurrent writers of one path each
// write their own temporary file and the last rename wins.
#pragma once

#include <string>

#include "framework/named_arrays.h"

namespace xgrad {

// REQUIRES: names non-empty and distinct, arrays defined (ValueError
// otherwise, before anything is written).
void save_npz(const std::string& path, const NamedArrays& arrays, bool compress = false);

// The arrays in archive order, named without the ".npy" suffix.
NamedArrays load_npz(const std::string& path);

}  // namespace xgrad
