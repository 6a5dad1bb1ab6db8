// Tests for framework/malloc_tuning.h: when xgrad loads, glibc keeps freed blocks for the
// next step instead of unmapping or trimming them, so a step that allocates and frees the
// same large arrays again does not fault its pages in again. Counted with getrusage's
// minor page faults: without the tuning (XGRAD_MALLOC=default) the rounds below fault
// about 12,000 pages each.
#include <sys/resource.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "framework/array.h"
#include "framework/malloc_tuning.h"

using namespace xgrad;

namespace {
long minor_faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

// One "step": six 8 MiB arrays written and freed (48 MiB, above glibc's adaptive
// trim threshold of twice the largest freed block).
void step() {
  std::vector<Array> arrays;
  for (int i = 0; i < 6; ++i) arrays.push_back(Array::full({2u << 20}, 1.0, kFloat32));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(framework_malloc_tuning_tests)

BOOST_AUTO_TEST_CASE(freed_arrays_are_reused_without_page_faults) {
  const std::string what = malloc_tuning();
  BOOST_TEST_MESSAGE("malloc tuning: " << what);
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer's allocator replaces glibc's and ignores mallopt.
  BOOST_TEST(what.find("refused") != std::string::npos, what);
#else
  const char* choice = std::getenv("XGRAD_MALLOC");
  if (choice != nullptr && std::string(choice) == "default") {
    BOOST_TEST(what == "glibc malloc left alone (XGRAD_MALLOC=default)");
  }
  if (what.find("left alone") != std::string::npos) {
    // the environment chose: nothing to check but that it was respected
    BOOST_TEST(what.find("glibc malloc left alone") == 0u, what);
    return;
  }
  BOOST_TEST(what == "glibc malloc: mmap threshold 64 MiB, trim threshold 1 GiB");
  step();  // the first step maps its pages
  const long before = minor_faults();
  for (int round = 0; round < 8; ++round) step();
  const long faults = minor_faults() - before;
  // 8 rounds x 12,288 pages would fault without the tuning; a few are allowed for the
  // allocator's own bookkeeping
  BOOST_TEST(faults < 1000, faults << " minor page faults in 8 rounds");
#endif
}

BOOST_AUTO_TEST_SUITE_END()
