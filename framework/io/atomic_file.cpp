#include "framework/io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "framework/error.h"

namespace xgrad {

namespace {
[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw FileError(path + ": " + what);
}

void fsync_path(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd < 0) return;  // nothing to sync (best effort for directories)
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0 && !directory) fail(path, std::string("fsync failed: ") + std::strerror(errno));
}
}  // namespace

void write_atomically(const std::string& path,
                      const std::function<void(const std::string& temp_path)>& write) {
  namespace fs = std::filesystem;
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  try {
    write(temp);
    fsync_path(temp, false);
    std::error_code ec;
    fs::rename(temp, path, ec);
    if (ec) fail(path, "cannot rename the temporary file into place: " + ec.message());
  } catch (...) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw;
  }
  fs::path dir = fs::path(path).parent_path();
  fsync_path(dir.empty() ? "." : dir.string(), true);
}

void write_file_atomically(const std::string& path, const std::string& content) {
  write_atomically(path, [&](const std::string& temp) {
    std::FILE* f = std::fopen(temp.c_str(), "wb");
    if (!f) fail(path, std::string("cannot open for writing: ") + std::strerror(errno));
    const bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size();
    const bool closed = std::fclose(f) == 0;
    if (!ok || !closed) fail(path, "write failed (disk full?)");
  });
}

}  // namespace xgrad
