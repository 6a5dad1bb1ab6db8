#include "framework/malloc_tuning.h"

#include <cstdlib>
#include <cstring>
#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace xgrad {

namespace {

std::string tune() {
#if defined(__GLIBC__)
  const char* choice = std::getenv("XGRAD_MALLOC");
  if (choice != nullptr && std::strcmp(choice, "default") == 0) {
    return "glibc malloc left alone (XGRAD_MALLOC=default)";
  }
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (std::getenv("MALLOC_MMAP_THRESHOLD_") != nullptr ||
      std::getenv("MALLOC_TRIM_THRESHOLD_") != nullptr ||
      (tunables != nullptr && std::strstr(tunables, "glibc.malloc.") != nullptr)) {
    return "glibc malloc left alone (the environment sets it)";
  }
  const bool ok =
      mallopt(M_MMAP_THRESHOLD, 64 << 20) == 1 && mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1;
  return ok ? "glibc malloc: mmap threshold 64 MiB, trim threshold 1 GiB"
            : "glibc malloc: mallopt refused the thresholds (left as they were)";
#else
  return "not glibc: malloc left alone";
#endif
}

const std::string& state() {
  static const std::string s = tune();
  return s;
}

}  // namespace

const char* malloc_tuning() { return state().c_str(); }

}  // namespace xgrad
