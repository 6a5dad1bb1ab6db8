#include "framework/io/npz.h"

#include <zip.h>

#include <set>
#include <vector>

#include "framework/io/atomic_file.h"
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

NamedArrays load_npz(const std::string& path) {
  int code = 0;
  ZipHandle h;
  h.z = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
  if (h.z == nullptr) {
    if (code == ZIP_ER_NOENT) throw FileError(path + ": cannot open: No such file or directory");
    throw FileError(path + ": not a readable .npz (zip) archive: " + zip_code_message(code));
  }
  zip_int64_t count = zip_get_num_entries(h.z, 0);
  NamedArrays out;
  std::vector<unsigned char> bytes, chunk(1 << 16);
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(h.z, zip_uint64_t(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) {
      throw FileError(path + ": entry " + std::to_string(i) + ": " + zip_strerror(h.z));
    }
    std::string entry = st.name;
    std::string where = path + ": entry '" + entry + "'";
    zip_file_t* f = zip_fopen_index(h.z, zip_uint64_t(i), 0);
    if (f == nullptr) throw FileError(where + ": " + zip_strerror(h.z));
    bytes.clear();
    zip_int64_t n = 0;
    while ((n = zip_fread(f, chunk.data(), chunk.size())) > 0) {
      bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + n);
    }
    std::string message = n < 0 ? zip_file_strerror(f) : "";
    zip_fclose(f);
    if (n < 0) throw FileError(where + ": " + message);
    if ((st.valid & ZIP_STAT_SIZE) && bytes.size() != st.size) {
      throw FileError(where + ": truncated: expected " + std::to_string(st.size) + " bytes, got " +
                      std::to_string(bytes.size()));
    }
    std::string name = entry;
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0) {
      name.resize(name.size() - 4);
    }
    out.emplace_back(name, decode_npy(bytes.data(), bytes.size(), where));
  }
  return out;
}

}  // namespace xgrad
