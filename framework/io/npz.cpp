#include "framework/io/npz.h"

#include <zip.h>

#include <cstdint>
#include <memory>
#include <new>
#include <set>
#include <vector>

#include "framework/io/atomic_file.h"
#include "framework/io/excerpt.h"
#include "framework/io/npy.h"

namespace xgrad {

namespace {

std::string zip_code_message(int code) {
  zip_error_t e;
  zip_error_init_with_code(&e, code);
  std::string message = zip_error_strerror(&e);
  zip_error_fini(&e);
  return message;
}

// Discards an archive that was not closed (nothing is written).
struct ZipHandle {
  zip_t* z = nullptr;
  ~ZipHandle() {
    if (z != nullptr) zip_discard(z);
  }
};

// An archive with no entries: only the end-of-central-directory record
// (libzip deletes an empty archive on close instead of writing one).
const char kEmptyZip[22] = {'P', 'K', 5, 6};

void write_zip(const std::string& tmp, const std::string& path, const NamedArrays& arrays,
               bool compress) {
  int code = 0;
  ZipHandle h;
  h.z = zip_open(tmp.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (h.z == nullptr) {
    throw FileError(path + ": cannot create " + tmp + ": " + zip_code_message(code));
  }
  // libzip reads the buffers at zip_close: they live until then.
  std::vector<std::string> buffers;
  buffers.reserve(arrays.size());
  for (const auto& [name, array] : arrays) {
    buffers.push_back(encode_npy(array));
    std::string entry = name + ".npy";
    zip_source_t* src = zip_source_buffer(h.z, buffers.back().data(), buffers.back().size(), 0);
    zip_int64_t index =
        src == nullptr ? -1 : zip_file_add(h.z, entry.c_str(), src, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      if (src != nullptr) zip_source_free(src);
      throw FileError(path + ": cannot add entry '" + entry + "': " + zip_strerror(h.z));
    }
    if (zip_set_file_compression(h.z, zip_uint64_t(index), compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                                 0) != 0) {
      throw FileError(path + ": cannot set compression of '" + entry + "': " + zip_strerror(h.z));
    }
  }
  if (zip_close(h.z) != 0) {
    throw FileError(path + ": cannot write " + tmp + ": " + zip_strerror(h.z));
  }
  h.z = nullptr;
}

}  // namespace

void save_npz(const std::string& path, const NamedArrays& arrays, bool compress) {
  std::set<std::string> seen;
  for (const auto& [name, array] : arrays) {
    if (name.empty()) throw ValueError("save_npz: " + path + ": an array has an empty name");
    if (name.find('\0') != std::string::npos) {
      // libzip takes a C string: the name would be cut at the NUL.
      throw ValueError("save_npz: " + path + ": array name " + excerpt(name) +
                       " contains a NUL byte");
    }
    if (!seen.insert(name).second) {
      throw ValueError("save_npz: " + path + ": duplicate array name '" + name + "'");
    }
    if (!array.defined()) {
      throw ValueError("save_npz: " + path + ": array '" + name + "' is undefined");
    }
  }
  if (arrays.empty()) {
    write_file_atomically(path, std::string(kEmptyZip, sizeof kEmptyZip));
  } else {
    write_atomically(path, [&](const std::string& tmp) { write_zip(tmp, path, arrays, compress); });
  }
}

namespace {

constexpr std::uint64_t kDeflateMaxRatio = 1032;  // deflate's best case: 258 bytes per 2 bits

// The entries of an open archive, through libzip.
NamedArrays read_archive(zip_t* z, const std::string& path) {
  const zip_int64_t count = zip_get_num_entries(z, 0);
  return read_npz_entries(path, count < 0 ? 0 : std::size_t(count), [&](std::size_t i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) {
      throw FileError(path + ": entry " + std::to_string(i) + ": " + zip_strerror(z));
    }
    NpzEntry entry;
    entry.name = st.name;
    const std::string where = path + ": entry " + excerpt(entry.name);
    const zip_uint64_t need = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD;
    if ((st.valid & need) != need) throw FileError(where + ": sizes unknown");
    entry.size = st.size;
    if (st.comp_method == ZIP_CM_STORE) {
      entry.limit = st.comp_size;
    } else if (st.comp_method == ZIP_CM_DEFLATE) {
      entry.limit = st.comp_size > UINT64_MAX / kDeflateMaxRatio ? UINT64_MAX
                                                                 : st.comp_size * kDeflateMaxRatio;
    } else {
      throw FileError(where + ": compression method " + std::to_string(st.comp_method) +
                      " is not supported (numpy writes stored or deflated entries)");
    }
    std::shared_ptr<zip_file_t> f(zip_fopen_index(z, i, 0), [](zip_file_t* p) {
      if (p != nullptr) zip_fclose(p);
    });
    if (!f) throw FileError(where + ": " + zip_strerror(z));
    entry.read = [f, where](unsigned char* buffer, std::size_t n) -> std::size_t {
      const zip_int64_t r = zip_fread(f.get(), buffer, n);
      if (r < 0) throw FileError(where + ": " + zip_file_strerror(f.get()));
      return std::size_t(r);
    };
    return entry;
  });
}

// libzip's code for a failed open as a one-line FileError.
[[noreturn]] void throw_open_error(const std::string& path, int code) {
  if (code == ZIP_ER_NOENT) throw FileError(path + ": cannot open: No such file or directory");
  throw FileError(path + ": not a readable .npz (zip) archive: " + zip_code_message(code));
}

// A failed allocation while reading is a FileError naming the file.
template <class F>
NamedArrays guard_memory(const std::string& path, F&& read) {
  try {
    return read();
  } catch (const std::bad_alloc&) {
    throw FileError(path + ": out of memory for the arrays the archive declares");
  }
}

}  // namespace

std::pair<std::string, Array> read_npz_entry(const std::string& path, const NpzEntry& entry) {
  const std::string where = path + ": entry " + excerpt(entry.name);
  if (entry.size > entry.limit) {
    throw FileError(where + ": corrupt: declares " + std::to_string(entry.size) +
                    " bytes, more than its compressed data can hold (" +
                    std::to_string(entry.limit) + ")");
  }
  std::string name = entry.name;
  if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0) {
    name.resize(name.size() - 4);
  }
  return {name, read_npy(entry.read, entry.size, where)};
}

NamedArrays read_npz_entries(const std::string& path, std::size_t count,
                             const std::function<NpzEntry(std::size_t)>& open) {
  NamedArrays out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < count; ++i) {
    auto [name, array] = read_npz_entry(path, open(i));
    if (!seen.insert(name).second) {
      throw FileError(path + ": entry " + excerpt(name) + " appears twice");
    }
    out.emplace_back(std::move(name), std::move(array));
  }
  return out;
}

NamedArrays load_npz(const std::string& path) {
  return guard_memory(path, [&] {
    int code = 0;
    ZipHandle h;
    h.z = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (h.z == nullptr) throw_open_error(path, code);
    return read_archive(h.z, path);
  });
}

NamedArrays load_npz_buffer(const void* data, std::size_t size, const std::string& name) {
  return guard_memory(name, [&] {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* src = zip_source_buffer_create(data, size, 0, &error);
    if (src == nullptr) {
      zip_error_fini(&error);
      throw std::bad_alloc();
    }
    ZipHandle h;
    h.z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error);
    if (h.z == nullptr) {
      const int code = zip_error_code_zip(&error);
      zip_source_free(src);
      zip_error_fini(&error);
      throw_open_error(name, code);
    }
    zip_error_fini(&error);
    return read_archive(h.z, name);
  });
}

}  // namespace xgrad
