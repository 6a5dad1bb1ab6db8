// .npy header checks (issue 14 items 11 and 15) and the bounded streaming
// reader read_npy; the plain round trips are in test_npz.cpp.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstring>
#include <string>

#include "framework/io/npy.h"
#include "tests/framework/io/npy_bytes.h"
#include "tests/test_messages.h"

using namespace xgrad;

namespace {

using xgrad::testing::message_is;
using xgrad::testing::npy;
using xgrad::testing::raw;

Array decode(const std::string& bytes) {
  return decode_npy(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), "f.npy");
}

std::string f8_dict(const std::string& shape) {
  return "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
}

// Bytes served to read_npy, counting how far it read.
struct Source {
  std::string bytes;
  std::size_t pos = 0;
  ByteReader reader() {
    return [this](unsigned char* p, std::size_t n) {
      n = std::min(n, bytes.size() - pos);
      std::memcpy(p, bytes.data() + pos, n);
      pos += n;
      return n;
    };
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(framework_io_npy_tests)

// Item 11: the element count of (0, 2^32, 2^32) is 0, which passed the
// overflow check, and xtensor's strides overflowed.
BOOST_AUTO_TEST_CASE(a_zero_dimension_does_not_hide_an_overflowing_shape) {
  BOOST_CHECK_EXCEPTION(
      decode(npy(f8_dict("(0, 4294967296, 4294967296)"), "")), FileError,
      message_is<FileError>("f.npy: corrupt .npy header: shape (0, 4294967296, 4294967296) is "
                            "too large"));
  BOOST_CHECK_EXCEPTION(decode(npy(f8_dict("(4294967296, 0, 536870912)"), "")), FileError,
                        message_is<FileError>("f.npy: corrupt .npy header: shape (4294967296, 0, "
                                              "536870912) is too large"));
  BOOST_CHECK_EXCEPTION(
      decode(npy(f8_dict("(4294967296, 4294967296)"), "")), FileError,
      message_is<FileError>("f.npy: corrupt .npy header: shape (4294967296, 4294967296) is "
                            "too large"));
  // Empty arrays with sane dimensions still read.
  Array empty = decode(npy(f8_dict("(0, 1000000, 5)"), ""));
  BOOST_TEST(empty.shape() == (Shape{0, 1000000, 5}));
  BOOST_TEST(empty.size() == 0u);
}

BOOST_AUTO_TEST_CASE(at_most_64_dimensions) {
  std::string shape = "(";
  for (int i = 0; i < 65; ++i) shape += "1, ";
  shape += ")";
  const std::string dict = f8_dict(shape);
  const std::size_t at = dict.find("(") + 1 + 64 * 3;
  BOOST_CHECK_EXCEPTION(decode(npy(dict, raw<double>({1}))), FileError,
                        message_is<FileError>("f.npy: corrupt .npy header: more than 64 dimensions "
                                              "at byte " +
                                              std::to_string(at) + ": '1, ), }'"));
}

// Item 11: anything after the dict's '}' (but padding) is corrupt.
BOOST_AUTO_TEST_CASE(text_after_the_closing_brace_is_corrupt) {
  const std::string dict = f8_dict("(1,)") + " junk";
  BOOST_CHECK_EXCEPTION(
      decode(npy(dict, raw<double>({1}))), FileError,
      message_is<FileError>("f.npy: corrupt .npy header: unexpected text after the closing '}' at "
                            "byte " +
                            std::to_string(dict.find("junk")) + ": 'junk'"));
  BOOST_CHECK_EXCEPTION(decode(npy(f8_dict("(1,)") + "}", raw<double>({1}))), FileError,
                        [](const FileError& e) {
                          return std::string(e.what()).find(
                                     "unexpected text after the closing "
                                     "'}'") != std::string::npos;
                        });
}

BOOST_AUTO_TEST_CASE(duplicate_keys_are_corrupt) {
  const std::string dict =
      "{'descr': '<f8', 'shape': (1,), 'fortran_order': False, 'shape': (2,), }";
  BOOST_CHECK_EXCEPTION(
      decode(npy(dict, raw<double>({1, 2}))), FileError,
      message_is<FileError>("f.npy: corrupt .npy header: duplicate key 'shape' at byte " +
                            std::to_string(dict.rfind("'shape'")) + ": '\\'shape\\': (2,), }'"));
}

// Item 11: versions other than 1.0, 2.0 and 3.0 are refused.
BOOST_AUTO_TEST_CASE(unknown_versions_are_refused) {
  std::string v11 = npy(f8_dict("(1,)"), raw<double>({1}));
  v11[7] = 1;
  BOOST_CHECK_EXCEPTION(
      decode(v11), FileError,
      message_is<FileError>("f.npy: unsupported .npy version 1.1 (known: 1.0, 2.0, 3.0)"));
  std::string v40 = npy(f8_dict("(1,)"), raw<double>({1}));
  v40[6] = 4;
  BOOST_CHECK_EXCEPTION(
      decode(v40), FileError,
      message_is<FileError>("f.npy: unsupported .npy version 4.0 (known: 1.0, 2.0, 3.0)"));
  for (int major : {2, 3}) {
    Array a = decode(npy(f8_dict("(2,)"), raw<double>({1.5, -2}), major));
    BOOST_TEST(a.at(1) == -2.0);
  }
}

// Item 15: the message quoted the whole header, control bytes and all.
BOOST_AUTO_TEST_CASE(header_errors_quote_a_short_escaped_excerpt) {
  const std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'evil\x1b[31m" +
                           std::string(1000, 'A') + "': 1}";
  const std::size_t at = dict.find("'evil");
  BOOST_CHECK_EXCEPTION(
      decode(npy(dict, raw<double>({1}))), FileError,
      message_is<FileError>("f.npy: corrupt .npy header: unexpected key at byte " +
                            std::to_string(at) + ": '\\'evil\\x1b[31m" + std::string(30, 'A') +
                            "'... (" + std::to_string(dict.size() - at) + " bytes)"));
  BOOST_CHECK_EXCEPTION(
      decode(npy("{'descr': '\x01\x02<f8', 'fortran_order': False, 'shape': (), }", "")), FileError,
      message_is<FileError>("f.npy: unsupported dtype '\\x01\\x02<f8' (supported: float32/64, "
                            "signed and unsigned integers, bool)"));
  BOOST_CHECK_EXCEPTION(decode(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)", "")),
                        FileError,
                        message_is<FileError>("f.npy: corrupt .npy header: expected ',' at its "
                                              "end"));
}

BOOST_AUTO_TEST_CASE(a_header_over_64_kib_is_refused) {
  std::string big = npy(f8_dict("(1,)") + std::string(70000, ' '), raw<double>({1}), 2);
  BOOST_CHECK_EXCEPTION(
      decode(big), FileError,
      message_is<FileError>("f.npy: corrupt .npy header: 70068 bytes long, more than the 65536 "
                            "accepted"));
}

// Item 10: the declared size is checked against the header before the
// data is read, and the reading stops at the first byte past it.
BOOST_AUTO_TEST_CASE(read_npy_is_bounded_by_the_declared_size) {
  const std::string file = npy(f8_dict("(1,)"), raw<double>({0.5}));
  BOOST_REQUIRE_EQUAL(file.size(), 136u);  // 128 bytes of magic, version and header

  Source claims_more{file + std::string(1000, '\0')};
  BOOST_CHECK_EXCEPTION(read_npy(claims_more.reader(), 1000000000000ULL, "e"), FileError,
                        message_is<FileError>("e: corrupt: expected 8 bytes of data for shape "
                                              "(1,) <f8, got 999999999872"));
  BOOST_TEST(claims_more.pos == 128u);  // the prefix and the header, nothing more

  Source longer{file + std::string(1000, '\0')};
  BOOST_CHECK_EXCEPTION(
      read_npy(longer.reader(), 136, "e"), FileError,
      message_is<FileError>("e: corrupt: more than the 136 bytes declared for the .npy data"));
  BOOST_TEST(longer.pos == 137u);

  Source shorter{file.substr(0, 132)};
  BOOST_CHECK_EXCEPTION(read_npy(shorter.reader(), 136, "e"), FileError,
                        message_is<FileError>("e: truncated: expected 8 bytes of data for shape "
                                              "(1,) <f8, got 4"));

  const std::string ints =
      npy("{'descr': '<i2', 'fortran_order': False, 'shape': (3,), }", raw<short>({-1, 2, 300}));
  Source exact{ints};
  Array a = read_npy(exact.reader(), ints.size(), "e");
  BOOST_TEST(a.at(2) == 300.0);
  Source cut{ints.substr(0, ints.size() - 1)};
  BOOST_CHECK_EXCEPTION(read_npy(cut.reader(), ints.size(), "e"), FileError,
                        message_is<FileError>("e: truncated: expected 6 bytes of data for shape "
                                              "(3,) <i2, got 5"));
}

BOOST_AUTO_TEST_SUITE_END()
