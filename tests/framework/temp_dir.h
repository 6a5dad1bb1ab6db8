// A fresh, empty scratch directory for one test: under $XGRAD_TEST_TMP (set
// by CTest) or the system temp directory, named after the test and the
// process so parallel runs do not share it.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace xgrad::testing {

inline std::filesystem::path temp_dir(const std::string& name) {
  const char* env = std::getenv("XGRAD_TEST_TMP");
  std::filesystem::path root = env != nullptr && *env != '\0'
                                   ? std::filesystem::path(env)
                                   : std::filesystem::temp_directory_path();
  std::filesystem::path dir = root / (name + "." + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
}

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace xgrad::testing
