#include "framework/npz.h"

#include <fcntl.h>
#include <unistd.h>
#include <zip.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <vector>

#include "framework/npy.h"

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

void remove_temp(const std::string& tmp) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(tmp, ec)) std::filesystem::remove(tmp, ec);
}

// An archive with no entries: only the end-of-central-directory record
// (libzip deletes an empty archive on close instead of writing one).
void write_empty_zip(const std::string& tmp, const std::string& path) {
  static const unsigned char kEmpty[22] = {'P', 'K', 5, 6};
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) throw FileError(path + ": cannot create " + tmp + ": " + std::strerror(errno));
  bool ok = std::fwrite(kEmpty, 1, sizeof kEmpty, f) == sizeof kEmpty;
  ok = std::fclose(f) == 0 && ok;
  if (!ok) {
    remove_temp(tmp);
    throw FileError(path + ": cannot write " + tmp);
  }
}

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
    std::string message = zip_strerror(h.z);
    remove_temp(tmp);
    throw FileError(path + ": cannot write " + tmp + ": " + message);
  }
  h.z = nullptr;
}

// Makes the temporary file durable, then puts it in place.
void commit(const std::string& tmp, const std::string& path) {
  int fd = ::open(tmp.c_str(), O_RDONLY);
  bool synced = fd >= 0 && ::fsync(fd) == 0;
  int saved = errno;
  if (fd >= 0) ::close(fd);
  if (!synced) {
    remove_temp(tmp);
    throw FileError(path + ": cannot sync " + tmp + ": " + std::strerror(saved));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    saved = errno;
    remove_temp(tmp);
    throw FileError(path + ": cannot rename " + tmp + " into place: " + std::strerror(saved));
  }
  // Persist the rename itself; some file systems cannot sync a directory.
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
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
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  if (arrays.empty()) {
    write_empty_zip(tmp, path);
  } else {
    write_zip(tmp, path, arrays, compress);
  }
  commit(tmp, path);
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
