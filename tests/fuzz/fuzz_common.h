// Shared by the fuzz targets (libFuzzer; see tests/fuzz/README.md).
//
// A target feeds the fuzzer's bytes to one reader. A clean rejection is
// the reader's documented error (FileError for the file readers, any
// xgrad::Error for the checkpoint API); anything else (another exception,
// bad_alloc included, or a sanitizer report) is a finding: it aborts.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "framework/error.h"

namespace xgrad::fuzz {

// Runs `read`; returns normally on success or on an exception of type
// Allowed, aborts on anything else.
template <class Allowed, class F>
void expect_clean(const char* what, F&& read) {
  try {
    read();
  } catch (const Allowed&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: unexpected exception: %s\n", what, e.what());
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "%s: unexpected non-standard exception\n", what);
    std::abort();
  }
}

// The input as a file the path-based readers can open, without touching
// a disk: a memfd, reached through /proc/self/fd.
class MemFile {
 public:
  MemFile() : fd_(::memfd_create("xgrad-fuzz", 0)) {
    if (fd_ < 0) {
      std::perror("memfd_create");
      std::abort();
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  const std::string& write(const std::uint8_t* data, std::size_t size) {
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, data, size, 0) != ssize_t(size)) {
      std::perror("memfd write");
      std::abort();
    }
    return path_;
  }

 private:
  int fd_;
  std::string path_;
};

}  // namespace xgrad::fuzz
