#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "framework/error.h"
#include "framework/io/atomic_file.h"

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

// Item 15: a killed writer's "<path>.tmp.<pid>" stayed forever. The next
// write removes those of our naming whose writer is gone (and that are a
// minute old); anything else stays.
BOOST_AUTO_TEST_CASE(stale_temporaries_of_dead_writers_are_removed) {
  const fs::path dir = temp_dir() / "stale";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path p = dir / "ckpt.npz";
  pid_t child = ::fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) ::_exit(0);
  BOOST_REQUIRE(::waitpid(child, nullptr, 0) == child);  // `child` is now a dead pid
  const std::string dead = std::to_string(child);
  const std::string alive = std::to_string(::getppid());
  auto touch = [&](const std::string& name, bool old) {
    std::ofstream(dir / name) << "partial";
    if (old)
      fs::last_write_time(dir / name, fs::file_time_type::clock::now() - std::chrono::hours(1));
  };
  touch("ckpt.npz.tmp." + dead, true);                   // stale: removed
  touch("ckpt.npz.tmp." + dead + "x", true);             // not our naming
  touch("ckpt.npz.tmp." + alive, true);                  // its writer runs
  touch("other.npz.tmp." + dead, true);                  // another target
  fs::create_directory(dir / ("ckpt.npz.tmp.4194305"));  // a directory, not our file
  xgrad::write_file_atomically(p.string(), "new");
  BOOST_TEST(!fs::exists(dir / ("ckpt.npz.tmp." + dead)));
  BOOST_TEST(fs::exists(dir / ("ckpt.npz.tmp." + dead + "x")));
  BOOST_TEST(fs::exists(dir / ("ckpt.npz.tmp." + alive)));
  BOOST_TEST(fs::exists(dir / ("other.npz.tmp." + dead)));
  BOOST_TEST(fs::is_directory(dir / "ckpt.npz.tmp.4194305"));
  BOOST_TEST(slurp(p) == "new");
  // A fresh one may belong to a live writer we cannot see: it stays.
  touch("ckpt.npz.tmp." + dead, false);
  xgrad::write_file_atomically(p.string(), "newer");
  BOOST_TEST(fs::exists(dir / ("ckpt.npz.tmp." + dead)));
}

BOOST_AUTO_TEST_SUITE_END()
