// .npy encoding and decoding, .npz round trips, atomic writes (an error
// or a kill mid-write keeps the old file), corrupt and truncated files.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstring>
#include <memory>

#include "framework/generator.h"
#include "framework/io/npy.h"
#include "framework/io/npz.h"
#include "tests/framework/io/npy_bytes.h"
#include "tests/framework/temp_dir.h"
#include "tests/test_messages.h"

namespace fs = std::filesystem;
using namespace xgrad;

namespace {

using xgrad::testing::message_is;

using xgrad::testing::npy;
using xgrad::testing::raw;

Array decode(const std::string& bytes) {
  return decode_npy(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), "f.npy");
}

NamedArrays sample_arrays() {
  Generator gen(11);
  return {{"model/0.weight", gen.normal({2, 3}, 0, 1, kFloat32)},
          {"b", gen.normal({4}, 0, 1, kFloat64)},
          {"meta/epoch", Array::scalar(7, kFloat64)},
          {"empty", Array::zeros({0, 3}, kFloat32)}};
}

void check_equal(const NamedArrays& a, const NamedArrays& b) {
  BOOST_REQUIRE_EQUAL(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    BOOST_TEST(a[i].first == b[i].first);
    BOOST_TEST((a[i].second.dtype() == b[i].second.dtype()));
    BOOST_TEST(a[i].second.shape() == b[i].second.shape());
    BOOST_TEST(max_abs_diff(a[i].second, b[i].second) == 0.0);
  }
}

bool has_temp_file(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().find(".tmp.") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(framework_io_npz_tests)

BOOST_AUTO_TEST_CASE(npy_header_is_numpys_format) {
  Array a = Array::full({2, 3}, 1.5, kFloat32);
  std::string bytes = encode_npy(a);
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  BOOST_TEST(bytes.substr(0, 8) == std::string("\x93NUMPY\x01\x00", 8));
  std::size_t header_len = std::size_t((unsigned char)bytes[8]) | std::size_t(bytes[9]) << 8;
  BOOST_TEST((10 + header_len) % 64 == 0u);
  std::string header = bytes.substr(10, header_len);
  BOOST_TEST(header.substr(0, dict.size()) == dict);
  BOOST_TEST(header.back() == '\n');
  BOOST_TEST(header.find_first_not_of(' ', dict.size()) == header_len - 1);
  BOOST_TEST(bytes.size() == 10 + header_len + 24);
  BOOST_TEST(bytes.substr(10 + header_len, 4) == raw<float>({1.5f}));
  BOOST_TEST(encode_npy(Array::scalar(2, kFloat64))
                 .find("'<f8', 'fortran_order': False, "
                       "'shape': (), }") != std::string::npos);
  BOOST_TEST(encode_npy(Array::zeros({5}, kFloat64)).find("'shape': (5,), }") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(npy_reads_int64_exactly_and_other_dtypes_as_float64) {
  Array i8 = decode(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }",
                        raw<std::int64_t>({-5, 0, 9007199254740993})));
  BOOST_TEST((i8.dtype() == kInt64));
  BOOST_TEST(i8.data<std::int64_t>()[0] == -5);
  BOOST_TEST(i8.data<std::int64_t>()[2] == 9007199254740993);  // 2^53 + 1: not a double
  std::string be8 = raw<std::int64_t>({-7});
  std::reverse(be8.begin(), be8.end());
  Array big = decode(npy("{'descr': '>i8', 'fortran_order': False, 'shape': (1,), }", be8));
  BOOST_TEST(big.data<std::int64_t>()[0] == -7);
  // int64 round trip: written as '<i8'.
  Array labels = Array::zeros({2, 2}, kInt64);
  labels.data<std::int64_t>()[3] = -9007199254740993;
  const std::string bytes = encode_npy(labels);
  BOOST_TEST(bytes.find("'<i8'") != std::string::npos);
  Array back = decode(bytes);
  BOOST_TEST((back.dtype() == kInt64));
  BOOST_TEST(back.shape() == (Shape{2, 2}));
  BOOST_TEST(back.data<std::int64_t>()[3] == -9007199254740993);
  Array u1 = decode(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 1), }", "\x07\xff"));
  BOOST_TEST(u1.shape() == (Shape{2, 1}));
  BOOST_TEST(u1.at(1) == 255.0);
  Array b1 = decode(
      npy("{'shape': (2,), 'fortran_order': False, 'descr': '|b1'}", std::string("\x00\x01", 2)));
  BOOST_TEST(b1.at(1) == 1.0);
  std::string be = raw<double>({0.25});
  std::reverse(be.begin(), be.end());
  Array f8 = decode(npy("{'descr': '>f8', 'fortran_order': False, 'shape': (), }", be));
  BOOST_TEST(f8.item() == 0.25);
  Array f4 =
      decode(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", raw<float>({0.1f})));
  BOOST_TEST((f4.dtype() == kFloat32));
  BOOST_TEST(f4.data<float>()[0] == 0.1f);
}

BOOST_AUTO_TEST_CASE(npy_errors) {
  BOOST_CHECK_EXCEPTION(
      decode(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }",
                 raw<float>({1, 2, 3, 4}))),
      FileError,
      message_is<FileError>("f.npy: fortran_order True is not supported (save a C-ordered array, "
                            "e.g. numpy.ascontiguousarray)"));
  BOOST_CHECK_EXCEPTION(
      decode(npy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", std::string(16, 0))),
      FileError,
      message_is<FileError>("f.npy: unsupported dtype '<c16' (supported: float32/64, signed and "
                            "unsigned integers, bool)"));
  BOOST_CHECK_EXCEPTION(
      decode(
          npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", raw<double>({1, 2}))),
      FileError,
      message_is<FileError>("f.npy: truncated: expected 48 bytes of data for shape (2, 3) <f8, "
                            "got 16"));
  BOOST_CHECK_EXCEPTION(decode("PK\x03\x04 this is a zip"), FileError,
                        message_is<FileError>("f.npy: not a .npy array (no \\x93NUMPY magic)"));
  std::string no_shape = "{'descr': '<f8', 'fortran_order': False}";
  BOOST_CHECK_EXCEPTION(decode(npy(no_shape, "")), FileError,
                        message_is<FileError>("f.npy: corrupt .npy header: the header needs "
                                              "'descr', 'fortran_order' and 'shape'"));
}

BOOST_AUTO_TEST_CASE(round_trip_stored_and_compressed) {
  fs::path dir = testing::temp_dir("npz_round_trip");
  NamedArrays arrays = sample_arrays();
  save_npz((dir / "a.npz").string(), arrays);
  save_npz((dir / "c.npz").string(), arrays, true);
  check_equal(load_npz((dir / "a.npz").string()), arrays);
  check_equal(load_npz((dir / "c.npz").string()), arrays);
  save_npz((dir / "none.npz").string(), {});
  BOOST_TEST(load_npz((dir / "none.npz").string()).empty());
  BOOST_TEST(!has_temp_file(dir));
}

BOOST_AUTO_TEST_CASE(a_failed_write_keeps_the_old_file) {
  fs::path dir = testing::temp_dir("npz_atomic");
  std::string path = (dir / "ckpt.npz").string();
  NamedArrays old_arrays = sample_arrays();
  save_npz(path, old_arrays);
  // Invalid input is refused before anything is written.
  NamedArrays bad = {{"a", Array::zeros({2}, kFloat32)}, {"a", Array::zeros({3}, kFloat32)}};
  BOOST_CHECK_EXCEPTION(save_npz(path, bad), ValueError,
                        message_is<ValueError>("save_npz: " + path + ": duplicate array name 'a'"));
  // A NUL would cut the entry name short in libzip ("a\0b" written as "a").
  BOOST_CHECK_EXCEPTION(
      save_npz(path, {{std::string("a\0b", 3), Array::zeros({1}, kFloat32)}}), ValueError,
      message_is<ValueError>("save_npz: " + path + ": array name 'a\\x00b' contains a NUL byte"));
  // The temporary file cannot be written: a directory stands in its way.
  fs::path blocker = path + ".tmp." + std::to_string(::getpid());
  fs::create_directory(blocker);
  BOOST_CHECK_THROW(save_npz(path, {{"new", Array::zeros({9}, kFloat32)}}), FileError);
  fs::remove(blocker);
  check_equal(load_npz(path), old_arrays);
  BOOST_TEST(!has_temp_file(dir));
}

// A writer killed at an arbitrary point of its second (or later) save
// leaves a complete file: the first save's, or a later identical one.
BOOST_AUTO_TEST_CASE(a_killed_writer_leaves_a_complete_file) {
  fs::path dir = testing::temp_dir("npz_kill");
  std::string path = (dir / "ckpt.npz").string();
  save_npz(path, {{"old", Array::zeros({3}, kFloat32)}});
  Generator gen(2);
  NamedArrays big = {{"w", gen.normal({512, 1024}, 0, 1, kFloat32)}};
  int fds[2];
  BOOST_REQUIRE(::pipe(fds) == 0);
  pid_t pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    try {
      for (int i = 0;; ++i) {
        save_npz(path, big, i % 2 == 1);
        if (i == 0 && ::write(fds[1], "x", 1) != 1) ::_exit(2);
      }
    } catch (...) {
      ::_exit(1);
    }
  }
  ::close(fds[1]);
  char c = 0;
  BOOST_REQUIRE_EQUAL(::read(fds[0], &c, 1), 1);  // the first save is complete
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(fds[0]);
  BOOST_TEST(WIFSIGNALED(status));
  check_equal(load_npz(path), big);
}

BOOST_AUTO_TEST_CASE(missing_truncated_and_corrupt_files) {
  fs::path dir = testing::temp_dir("npz_corrupt");
  std::string path = (dir / "a.npz").string();
  BOOST_CHECK_EXCEPTION(load_npz(path), FileError,
                        message_is<FileError>(path + ": cannot open: No such file or directory"));
  save_npz(path, {{"a", Array::full({64}, 1.0, kFloat64)}});
  std::string good = testing::read_bytes(path);
  testing::write_bytes(path, good.substr(0, good.size() / 2));
  BOOST_CHECK_EXCEPTION(
      load_npz(path), FileError,
      message_is<FileError>(path + ": not a readable .npz (zip) archive: Not a zip archive"));
  // One data byte of the stored entry flipped: its CRC-32 no longer matches.
  std::string bad = good;
  std::size_t at = bad.find(raw<double>({1.0}));
  BOOST_REQUIRE(at != std::string::npos);
  bad[at + 7] = char(bad[at + 7] ^ 1);
  testing::write_bytes(path, bad);
  BOOST_CHECK_EXCEPTION(load_npz(path), FileError,
                        message_is<FileError>(path + ": entry 'a.npy': CRC error"));
}

// Item 10: an entry's declared size is checked before anything is read
// or allocated: against what its compressed bytes can hold, and (in
// read_npy) against its .npy header.
BOOST_AUTO_TEST_CASE(entry_sizes_are_checked_before_reading) {
  const std::string file =
      npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", raw<double>({2.5}));
  std::size_t served = 0;
  NpzEntry entry;
  entry.name = "w.npy";
  entry.read = [&](unsigned char* p, std::size_t n) {
    n = std::min(n, file.size() - served);
    std::memcpy(p, file.data() + served, n);
    served += n;
    return n;
  };
  entry.size = 1000000000000ULL;
  entry.limit = 1000000000ULL;
  BOOST_CHECK_EXCEPTION(read_npz_entry("a.npz", entry), FileError,
                        message_is<FileError>("a.npz: entry 'w.npy': corrupt: declares "
                                              "1000000000000 bytes, more than its compressed "
                                              "data can hold (1000000000)"));
  BOOST_TEST(served == 0u);
  entry.limit = entry.size;
  BOOST_CHECK_EXCEPTION(read_npz_entry("a.npz", entry), FileError,
                        message_is<FileError>("a.npz: entry 'w.npy': corrupt: expected 8 bytes of "
                                              "data for shape (1,) <f8, got 999999999872"));
  BOOST_TEST(served == 128u);  // the magic, version and header only
  served = 0;
  entry.size = entry.limit = file.size();
  auto [name, array] = read_npz_entry("a.npz", entry);
  BOOST_TEST(name == "w");
  BOOST_TEST(array.item() == 2.5);
}

BOOST_AUTO_TEST_CASE(entry_names_are_distinct_and_quoted) {
  const std::string file =
      npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", raw<double>({1}));
  const std::string names[] = {"w.npy", "w"};
  auto open = [&](std::size_t i) {
    auto served = std::make_shared<std::size_t>(0);
    NpzEntry e;
    e.name = names[i];
    e.size = e.limit = file.size();
    e.read = [&file, served](unsigned char* p, std::size_t n) {
      n = std::min(n, file.size() - *served);
      std::memcpy(p, file.data() + *served, n);
      *served += n;
      return n;
    };
    return e;
  };
  BOOST_CHECK_EXCEPTION(read_npz_entries("a.npz", 2, open), FileError,
                        message_is<FileError>("a.npz: entry 'w' appears twice"));
  NpzEntry odd = open(0);
  odd.name = std::string("\x00\n", 2) + std::string(100, 'n');
  odd.size = 5;
  BOOST_CHECK_EXCEPTION(read_npz_entry("a.npz", odd), FileError,
                        message_is<FileError>("a.npz: entry '\\x00\\n" + std::string(38, 'n') +
                                              "'... (102 bytes): not a .npy array (no \\x93NUMPY "
                                              "magic)"));
}

BOOST_AUTO_TEST_CASE(load_from_a_buffer) {
  fs::path dir = testing::temp_dir("npz_buffer");
  NamedArrays arrays = sample_arrays();
  for (bool compress : {false, true}) {
    save_npz((dir / "a.npz").string(), arrays, compress);
    const std::string bytes = testing::read_bytes(dir / "a.npz");
    check_equal(load_npz_buffer(bytes.data(), bytes.size(), "mem"), arrays);
  }
  BOOST_CHECK_EXCEPTION(
      load_npz_buffer("PK\x03\x04", 4, "mem"), FileError,
      message_is<FileError>("mem: not a readable .npz (zip) archive: Not a zip archive"));
}

// Every one-byte corruption and every truncation of a small archive
// either still loads or throws FileError: never a crash or another error.
BOOST_AUTO_TEST_CASE(every_single_byte_corruption_is_caught) {
  fs::path dir = testing::temp_dir("npz_fuzz");
  std::string path = (dir / "a.npz").string();
  for (bool compress : {false, true}) {
    save_npz(path, {{"w", Array::full({3, 2}, 0.5, kFloat32)}, {"s", Array::scalar(3, kFloat64)}},
             compress);
    std::string good = testing::read_bytes(path);
    std::size_t failures = 0;
    for (std::size_t i = 0; i < 2 * good.size(); ++i) {
      std::string bad = good;
      if (i < good.size()) {
        bad[i] = char(bad[i] ^ 0x5a);
      } else {
        bad.resize(i - good.size());
      }
      testing::write_bytes(path, bad);
      try {
        load_npz(path);
      } catch (const FileError&) {
        ++failures;
      }
    }
    BOOST_TEST(failures > good.size());  // every truncation, most flips
  }
}

BOOST_AUTO_TEST_SUITE_END()
