#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "framework/io/atomic_file.h"
#include "framework/error.h"

namespace fs = std::filesystem;

namespace {
fs::path temp_dir() {
  const char* env = std::getenv("XGRAD_TEST_TMP");
  fs::path dir = fs::path(env ? env : fs::temp_directory_path().string()) / "atomic_file";
  fs::create_directories(dir);
  return dir;
}
std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(framework_io_atomic_file_tests)

BOOST_AUTO_TEST_CASE(writes_and_replaces_content) {
  const fs::path p = temp_dir() / "a.txt";
  xgrad::write_file_atomically(p.string(), "first");
  BOOST_TEST(slurp(p) == "first");
  xgrad::write_file_atomically(p.string(), "second, longer");
  BOOST_TEST(slurp(p) == "second, longer");
  for (const auto& entry : fs::directory_iterator(temp_dir())) {
    BOOST_TEST(entry.path().filename().string().find(".tmp.") == std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(failed_write_keeps_old_file_and_removes_temp) {
  const fs::path p = temp_dir() / "b.txt";
  xgrad::write_file_atomically(p.string(), "old");
  BOOST_CHECK_THROW(xgrad::write_atomically(p.string(),
                                            [](const std::string& temp) {
                                              std::ofstream(temp) << "partial";
                                              throw xgrad::FileError("simulated crash");
                                            }),
                    xgrad::FileError);
  BOOST_TEST(slurp(p) == "old");
  BOOST_TEST(!fs::exists(p.string() + ".tmp." + std::to_string(::getpid())));
}

BOOST_AUTO_TEST_CASE(unwritable_directory_names_the_file) {
  const std::string p = "/nonexistent-dir-xgrad/file.txt";
  BOOST_CHECK_EXCEPTION(
      xgrad::write_file_atomically(p, "x"), xgrad::FileError, [&](const xgrad::FileError& e) {
        return std::string(e.what()).rfind(p + ": cannot open for writing", 0) == 0;
      });
}

BOOST_AUTO_TEST_SUITE_END()
