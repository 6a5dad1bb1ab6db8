// IDX reading: small hand-made files (plain and gzip), every error message,
// and the installed Fashion-MNIST test set.
#include <zlib.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "framework/data/dataset.h"
#include "framework/io/idx.h"
#include "tests/framework/temp_dir.h"
#include "tests/test_messages.h"

namespace fs = std::filesystem;
using namespace xgrad;

namespace {

std::string be32(unsigned v) {
  return {char(v >> 24), char(v >> 16 & 0xff), char(v >> 8 & 0xff), char(v & 0xff)};
}

// Two 2x3 images with known pixel bytes.
const std::vector<unsigned char> kPixels = {0, 255, 51, 102, 1, 254, 17, 34, 68, 136, 200, 100};

std::string image_file(unsigned n, unsigned rows, unsigned cols,
                       const std::vector<unsigned char>& pixels) {
  return be32(0x803) + be32(n) + be32(rows) + be32(cols) +
         std::string(pixels.begin(), pixels.end());
}

std::string label_file(const std::vector<unsigned char>& labels) {
  return be32(0x801) + be32(unsigned(labels.size())) + std::string(labels.begin(), labels.end());
}

void write_gzip(const fs::path& path, const std::string& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  BOOST_REQUIRE(f != nullptr);
  BOOST_REQUIRE_EQUAL(gzwrite(f, bytes.data(), unsigned(bytes.size())), int(bytes.size()));
  BOOST_REQUIRE_EQUAL(gzclose(f), Z_OK);
}

using xgrad::testing::message_is;

// Restores an environment variable on scope exit.
struct EnvGuard {
  std::string name, old;
  bool had;
  EnvGuard(const std::string& n, const std::string& value) : name(n) {
    const char* v = std::getenv(n.c_str());
    had = v != nullptr;
    if (had) old = v;
    setenv(n.c_str(), value.c_str(), 1);
  }
  ~EnvGuard() { had ? setenv(name.c_str(), old.c_str(), 1) : unsetenv(name.c_str()); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(framework_io_idx_tests)

BOOST_AUTO_TEST_CASE(reads_plain_and_gzip_images_scaled_to_unit_interval) {
  fs::path dir = testing::temp_dir("idx_images");
  testing::write_bytes(dir / "img", image_file(2, 2, 3, kPixels));
  write_gzip(dir / "img.gz", image_file(2, 2, 3, kPixels));
  for (const char* name : {"img", "img.gz"}) {
    Array flat = read_idx_images((dir / name).string(), ImageLayout::kFlat, kFloat64);
    BOOST_TEST(flat.shape() == (Shape{2, 6}));
    for (std::size_t i = 0; i < kPixels.size(); ++i) {
      BOOST_TEST(flat.at(i) == kPixels[i] / 255.0);
    }
    Array chw = read_idx_images((dir / name).string(), ImageLayout::kChannels);
    BOOST_TEST(chw.shape() == (Shape{2, 1, 2, 3}));
    BOOST_TEST((chw.dtype() == kFloat32));
    for (std::size_t i = 0; i < kPixels.size(); ++i) {
      BOOST_TEST(chw.data<float>()[i] == float(kPixels[i] / 255.0));
    }
  }
}

BOOST_AUTO_TEST_CASE(reads_plain_and_gzip_labels) {
  fs::path dir = testing::temp_dir("idx_labels");
  testing::write_bytes(dir / "lab", label_file({2, 0, 9}));
  write_gzip(dir / "lab.gz", label_file({2, 0, 9}));
  BOOST_TEST(read_idx_labels((dir / "lab").string()) == (std::vector<int>{2, 0, 9}));
  BOOST_TEST(read_idx_labels((dir / "lab.gz").string()) == (std::vector<int>{2, 0, 9}));
}

BOOST_AUTO_TEST_CASE(pairs_images_with_labels) {
  fs::path dir = testing::temp_dir("idx_pair");
  testing::write_bytes(dir / "img", image_file(2, 2, 3, kPixels));
  testing::write_bytes(dir / "lab", label_file({7, 3}));
  testing::write_bytes(dir / "lab3", label_file({7, 3, 1}));
  Dataset d = load_idx_dataset((dir / "img").string(), (dir / "lab").string());
  BOOST_TEST(d.size() == 2u);
  BOOST_TEST(d.y.at(0) == 7.0);
  BOOST_TEST(d.y.at(1) == 3.0);
  BOOST_TEST(d.x.at(1) == float(255 / 255.0));
  Dataset ints = load_idx_dataset((dir / "img").string(), (dir / "lab").string(),
                                  ImageLayout::kFlat, kFloat32, kInt64);
  BOOST_TEST((ints.y.dtype() == kInt64));
  BOOST_TEST(ints.y.at(0) == 7.0);
  BOOST_TEST((ints.x.dtype() == kFloat32));
  std::string lab3 = (dir / "lab3").string(), img = (dir / "img").string();
  BOOST_CHECK_EXCEPTION(load_idx_dataset(img, lab3), FileError,
                        message_is(lab3 + ": 3 labels for 2 images in " + img));
}

BOOST_AUTO_TEST_CASE(missing_file) {
  fs::path dir = testing::temp_dir("idx_missing");
  std::string p = (dir / "none.gz").string();
  BOOST_CHECK_EXCEPTION(read_idx_images(p), FileError,
                        message_is(p + ": cannot open: No such file or directory"));
}

BOOST_AUTO_TEST_CASE(wrong_magic) {
  fs::path dir = testing::temp_dir("idx_magic");
  std::string p = (dir / "lab").string();
  testing::write_bytes(p, label_file({1, 2}));
  BOOST_CHECK_EXCEPTION(read_idx_images(p), FileError,
                        message_is(p + ": wrong magic number 0x00000801, expected 0x00000803 "
                                       "(IDX images)"));
  std::string q = (dir / "junk").string();
  testing::write_bytes(q, "PK\x03\x04 not idx");
  BOOST_CHECK_EXCEPTION(read_idx_labels(q), FileError,
                        message_is(q + ": wrong magic number 0x504b0304, expected 0x00000801 "
                                       "(IDX labels)"));
}

BOOST_AUTO_TEST_CASE(truncated_plain_files) {
  fs::path dir = testing::temp_dir("idx_truncated");
  std::string p = (dir / "img").string();
  testing::write_bytes(p, image_file(2, 28, 28, std::vector<unsigned char>(1000, 7)));
  BOOST_CHECK_EXCEPTION(read_idx_images(p), FileError,
                        message_is(p + ": truncated: expected 1568 bytes of pixels, got 1000"));
  testing::write_bytes(p, be32(0x803) + be32(2));
  BOOST_CHECK_EXCEPTION(read_idx_images(p), FileError,
                        message_is(p + ": truncated: expected 12 bytes of dimensions, got 4"));
  testing::write_bytes(p, "");
  BOOST_CHECK_EXCEPTION(
      read_idx_images(p), FileError,
      message_is(p + ": truncated: expected a 4-byte IDX magic number, got 0 bytes"));
}

BOOST_AUTO_TEST_CASE(trailing_bytes_are_corrupt) {
  fs::path dir = testing::temp_dir("idx_trailing");
  std::string p = (dir / "lab").string();
  testing::write_bytes(p, label_file({1, 2, 3}) + "xy");
  BOOST_CHECK_EXCEPTION(read_idx_labels(p), FileError,
                        message_is(p + ": corrupt: expected 3 bytes of labels, got 5"));
}

BOOST_AUTO_TEST_CASE(truncated_and_corrupt_gzip) {
  fs::path dir = testing::temp_dir("idx_gzip");
  std::string p = (dir / "img.gz").string();
  write_gzip(p, image_file(2, 28, 28, std::vector<unsigned char>(1568, 9)));
  std::string full = testing::read_bytes(p);
  // Without its 8-byte trailer (CRC-32, size) the data is complete but the stream is not.
  testing::write_bytes(p, full.substr(0, full.size() - 8));
  BOOST_CHECK_EXCEPTION(
      read_idx_images(p), FileError,
      message_is(p + ": truncated: the gzip stream ends early (unexpected end of file)"));
  // A wrong CRC-32 in the trailer.
  std::string bad = full;
  bad[bad.size() - 8] = char(bad[bad.size() - 8] ^ 0x55);
  testing::write_bytes(p, bad);
  BOOST_CHECK_EXCEPTION(read_idx_images(p), FileError,
                        message_is(p + ": corrupt gzip stream: incorrect data check"));
}

BOOST_AUTO_TEST_CASE(gzip_cut_in_the_data_reports_the_pixel_count) {
  fs::path dir = testing::temp_dir("idx_gzip_cut");
  std::string p = (dir / "img.gz").string();
  std::vector<unsigned char> pixels(1568);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = (unsigned char)(i * 7919 % 251);
  write_gzip(p, image_file(2, 28, 28, pixels));
  std::string full = testing::read_bytes(p);
  testing::write_bytes(p, full.substr(0, full.size() / 2));
  std::string prefix = p + ": truncated: expected 1568 bytes of pixels, got ";
  BOOST_CHECK_EXCEPTION(read_idx_images(p), FileError, [&](const FileError& e) {
    return std::string(e.what()).rfind(prefix, 0) == 0;
  });
}

// Issue 14 item 10: the whole gzip stream was inflated before its size was
// checked against the header (a 2 MB .gz used 2 GB). Now the reading stops
// at the first byte past the declared size.
BOOST_AUTO_TEST_CASE(gzip_bomb_stops_at_the_first_byte_past_the_header_size) {
  fs::path dir = testing::temp_dir("idx_bomb");
  std::string p = (dir / "lab.gz").string();
  gzFile f = gzopen(p.c_str(), "wb9");
  BOOST_REQUIRE(f != nullptr);
  std::string head = label_file({3, 1});
  BOOST_REQUIRE_EQUAL(gzwrite(f, head.data(), unsigned(head.size())), int(head.size()));
  const std::string zeros(1 << 20, '\0');
  for (int i = 0; i < 64; ++i) {  // 64 MiB of zeros: 64 KiB compressed
    BOOST_REQUIRE_EQUAL(gzwrite(f, zeros.data(), unsigned(zeros.size())), int(zeros.size()));
  }
  BOOST_REQUIRE_EQUAL(gzclose(f), Z_OK);
  BOOST_TEST(fs::file_size(p) < (1u << 20));
  BOOST_CHECK_EXCEPTION(read_idx_labels(p), FileError,
                        message_is(p + ": corrupt: more than the 2 bytes of labels the header "
                                       "declares (stopped at the first byte past them)"));
}

// A header may claim any size; memory follows the bytes actually there.
BOOST_AUTO_TEST_CASE(huge_declared_size_with_little_data_is_truncated) {
  fs::path dir = testing::temp_dir("idx_claim");
  std::string p = (dir / "img.gz").string();
  write_gzip(p, image_file(4000000000u, 4000, 4000, kPixels));
  BOOST_CHECK_EXCEPTION(read_idx_images(p), FileError,
                        message_is(p + ": truncated: expected 64000000000000000 bytes of pixels, "
                                       "got 12"));
  std::string q = (dir / "img").string();
  testing::write_bytes(q, image_file(4000000000u, 4000, 4000, kPixels));
  BOOST_CHECK_EXCEPTION(read_idx_images(q), FileError,
                        message_is(q + ": truncated: expected 64000000000000000 bytes of pixels, "
                                       "got 12"));
}

// As in .npy (issue 14 item 11): a zero dimension must not let the others
// overflow the array's strides.
BOOST_AUTO_TEST_CASE(a_zero_dimension_does_not_hide_huge_ones) {
  fs::path dir = testing::temp_dir("idx_zero_dim");
  std::string p = (dir / "img").string();
  testing::write_bytes(p, image_file(0, 0xffffffffu, 0xffffffffu, {}));
  BOOST_CHECK_EXCEPTION(read_idx_images(p), FileError,
                        message_is(p + ": corrupt: dimensions multiply to more than 2^60 pixels"));
  testing::write_bytes(p, image_file(0, 28, 28, {}));
  BOOST_TEST(read_idx_images(p).shape() == (Shape{0, 784}));
}

// Every one-byte corruption and every truncation of a small gzip file
// either still reads or throws FileError.
BOOST_AUTO_TEST_CASE(every_single_byte_corruption_is_caught) {
  fs::path dir = testing::temp_dir("idx_fuzz");
  std::string p = (dir / "img.gz").string();
  write_gzip(p, image_file(2, 2, 3, kPixels));
  std::string good = testing::read_bytes(p);
  for (std::size_t i = 0; i < 2 * good.size(); ++i) {
    std::string bad = good;
    if (i < good.size()) {
      bad[i] = char(bad[i] ^ 0x5a);
    } else {
      bad.resize(i - good.size());
    }
    testing::write_bytes(p, bad);
    try {
      read_idx_images(p);
    } catch (const FileError&) {
    }
  }
}

// Expected values from an independent reader (Python's gzip + NumPy).
BOOST_AUTO_TEST_CASE(fashion_mnist_test_set) {
  Dataset test = load_fashion_mnist(Split::kTest);
  BOOST_TEST(test.x.shape() == (Shape{10000, 784}));
  BOOST_TEST(test.y.shape() == (Shape{10000}));
  const double first[] = {9, 2, 1, 1, 6, 1, 4, 6, 5, 7};
  for (std::size_t i = 0; i < 10; ++i) BOOST_TEST(test.y.at(i) == first[i]);
  std::vector<int> per_class(10, 0);
  for (std::size_t i = 0; i < test.size(); ++i) {
    double v = test.y.at(i);
    BOOST_REQUIRE(v >= 0 && v <= 9 && v == int(v));
    ++per_class[std::size_t(v)];
  }
  BOOST_TEST(per_class == std::vector<int>(10, 1000), boost::test_tools::per_element());
  BOOST_TEST(class_count(test) == 10u);
  double sum0 = 0;
  for (std::size_t j = 0; j < 784; ++j) sum0 += test.x.at(j);
  BOOST_TEST(sum0 == 33456 / 255.0, boost::test_tools::tolerance(1e-6));
  Dataset chw = load_fashion_mnist(Split::kTest, "", ImageLayout::kChannels, kFloat64);
  BOOST_TEST(chw.x.shape() == (Shape{10000, 1, 28, 28}));
  BOOST_TEST(chw.x.at(14 * 28 + 14) == 110 / 255.0);
  BOOST_TEST(fashion_mnist_classes().at(9) == "Ankle boot");
}

BOOST_AUTO_TEST_CASE(fashion_mnist_directory_from_environment) {
  fs::path dir = testing::temp_dir("idx_fmnist_env");
  EnvGuard env("FMNIST_DIR", dir.string());
  BOOST_TEST(fashion_mnist_dir() == dir.string());
  std::string p = (dir / "t10k-images-idx3-ubyte.gz").string();
  BOOST_CHECK_EXCEPTION(load_fashion_mnist(Split::kTest), FileError,
                        message_is(p + ": not found (the Debian package dataset-fashion-mnist "
                                       "provides it; set FMNIST_DIR to read it from elsewhere)"));
  // Uncompressed copies are found too.
  testing::write_bytes(dir / "t10k-images-idx3-ubyte", image_file(2, 2, 3, kPixels));
  testing::write_bytes(dir / "t10k-labels-idx1-ubyte", label_file({4, 5}));
  BOOST_TEST(load_fashion_mnist(Split::kTest).size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
