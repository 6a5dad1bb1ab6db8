#include "framework/io/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "framework/error.h"

namespace xgrad {

namespace {
[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw FileError(path + ": " + what);
}

// Note [Stale temporaries]: a writer killed between creating its
// "<name>.tmp.<pid>" and the rename leaves the file behind (a checkpoint
// can be tens of MB). Before each write we remove those of our own naming
// for the same target whose writer is gone: the pid is not alive here and
// the file has not changed for a minute. The age guard keeps us from
// removing the temporary of a live writer we cannot see (another pid
// namespace or host on a shared directory); anything else (another name,
// a directory, our own pid) is left alone. Best effort: errors are ignored.
void remove_stale_temporaries(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const std::string prefix = target.filename().string() + ".tmp.";
  const auto now = fs::file_time_type::clock::now();
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.size() > prefix.size() + 9 ||
        name.compare(0, prefix.size(), prefix) != 0 ||
        name.find_first_not_of("0123456789", prefix.size()) != std::string::npos) {
      continue;
    }
    const long pid = std::stol(name.substr(prefix.size()));
    if (pid <= 0 || pid == long(::getpid())) continue;
    if (::kill(pid_t(pid), 0) == 0 || errno != ESRCH) continue;  // alive (EPERM: someone's)
    std::error_code file_ec;
    if (!it->is_regular_file(file_ec) || file_ec) continue;
    const auto modified = it->last_write_time(file_ec);
    if (file_ec || now - modified < std::chrono::minutes(1)) continue;
    fs::remove(it->path(), file_ec);
  }
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
  remove_stale_temporaries(path);
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
