// Numeric CSV reading: label column by default, name and index; the
// error messages name the file, line and column.
#include <boost/test/unit_test.hpp>
#include <string>
#include <utility>

#include "framework/io/csv.h"
#include "tests/framework/temp_dir.h"
#include "tests/test_messages.h"

namespace fs = std::filesystem;
using namespace xgrad;

namespace {

using xgrad::testing::message_is;

std::string write_csv(const std::string& name, const std::string& text) {
  fs::path p = testing::temp_dir("csv_" + name) / (name + ".csv");
  testing::write_bytes(p, text);
  return p.string();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(framework_io_csv_tests)

BOOST_AUTO_TEST_CASE(last_column_is_the_label_by_default) {
  std::string p = write_csv("basic", "x1,x2,label\n0.5,-2,1\n1e-3,+4.25,0\n");
  CsvData d = read_csv(p);
  BOOST_TEST(d.x.shape() == (Shape{2, 2}));
  BOOST_TEST(d.y.shape() == (Shape{2}));
  BOOST_TEST((d.x.dtype() == kFloat32));
  const float x[] = {0.5f, -2.0f, 1e-3f, 4.25f};
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(d.x.data<float>()[i] == x[i]);
  BOOST_TEST(d.y.at(0) == 1.0);
  BOOST_TEST(d.y.at(1) == 0.0);
  BOOST_TEST(d.feature_names == (std::vector<std::string>{"x1", "x2"}));
  BOOST_TEST(d.label_name == "label");
}

BOOST_AUTO_TEST_CASE(label_by_name_or_index) {
  std::string p = write_csv("named", "a, \"y\" ,b\r\n1,\"10\",2\r\n\r\n3,20,4\r\n");
  CsvOptions by_name;
  by_name.label_name = "y";
  by_name.dtype = kFloat64;
  CsvData d = read_csv(p, by_name);
  BOOST_TEST(d.x.shape() == (Shape{2, 2}));
  const double x[] = {1, 2, 3, 4};
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(d.x.at(i) == x[i]);
  BOOST_TEST(d.y.at(0) == 10.0);
  BOOST_TEST(d.y.at(1) == 20.0);
  BOOST_TEST(d.feature_names == (std::vector<std::string>{"a", "b"}));

  CsvOptions first;
  first.label_index = 0;
  d = read_csv(p, first);
  BOOST_TEST(d.label_name == "a");
  BOOST_TEST(d.y.at(1) == 3.0);
  CsvOptions middle;
  middle.label_index = -2;
  BOOST_TEST(read_csv(p, middle).label_name == "y");
}

BOOST_AUTO_TEST_CASE(other_delimiter) {
  std::string p = write_csv("semicolon", "a;b\n1.5;2\n");
  CsvOptions o;
  o.delimiter = ';';
  CsvData d = read_csv(p, o);
  BOOST_TEST(d.x.at(0) == 1.5);
  BOOST_TEST(d.y.at(0) == 2.0);
}

BOOST_AUTO_TEST_CASE(non_numeric_field_names_file_line_and_column) {
  std::string p = write_csv("bad", "x1,x2,label\n1,2,0\n3,abc,1\n");
  BOOST_CHECK_EXCEPTION(read_csv(p), FileError,
                        message_is(p + ":3: column 2 ('x2'): not a finite number: 'abc'"));
  std::string q = write_csv("nan", "x1,label\nnan,1\n");
  BOOST_CHECK_EXCEPTION(read_csv(q), FileError,
                        message_is(q + ":2: column 1 ('x1'): not a finite number: 'nan'"));
  std::string r = write_csv("empty_field", "x1,label\n1,\n");
  BOOST_CHECK_EXCEPTION(read_csv(r), FileError,
                        message_is(r + ":2: column 2 ('label'): not a finite number: ''"));
}

BOOST_AUTO_TEST_CASE(wrong_field_count) {
  std::string p = write_csv("count", "a,b,c\n1,2,3\n4,5\n");
  BOOST_CHECK_EXCEPTION(read_csv(p), FileError, message_is(p + ":3: expected 3 fields, got 2"));
}

BOOST_AUTO_TEST_CASE(bad_label_column) {
  std::string p = write_csv("label", "a,b,c\n1,2,3\n");
  CsvOptions o;
  o.label_name = "z";
  BOOST_CHECK_EXCEPTION(read_csv(p, o), FileError,
                        message_is(p + ": no column named 'z' (columns: 'a', 'b', 'c')"));
  CsvOptions i;
  i.label_index = 3;
  BOOST_CHECK_EXCEPTION(read_csv(p, i), FileError,
                        message_is(p + ": label column index 3 is out of range for 3 columns"));
}

BOOST_AUTO_TEST_CASE(empty_missing_and_header_only_files) {
  std::string p = write_csv("empty", "\n\n");
  BOOST_CHECK_EXCEPTION(read_csv(p), FileError,
                        message_is(p + ": empty file: expected a header line"));
  std::string q = write_csv("header_only", "a,b\n");
  BOOST_CHECK_EXCEPTION(read_csv(q), FileError, message_is(q + ": no data rows after the header"));
  std::string r = (testing::temp_dir("csv_missing") / "none.csv").string();
  BOOST_CHECK_EXCEPTION(read_csv(r), FileError,
                        message_is(r + ": cannot open: No such file or directory"));
  std::string s = write_csv("one_column", "a\n1\n");
  BOOST_CHECK_EXCEPTION(
      read_csv(s), FileError,
      message_is(s + ": expected at least 2 columns (features and a label), got 1"));
}

// Issue 14 item 6: a double beyond float32's range became inf in the array.
BOOST_AUTO_TEST_CASE(values_beyond_float32_name_file_line_and_column) {
  std::string p = write_csv("f32_range", "x1,x2,label\n1,2,0\n3,1e39,1\n");
  BOOST_CHECK_EXCEPTION(read_csv(p), FileError,
                        message_is(p + ":3: column 2 ('x2'): '1e39' is beyond the float32 range "
                                       "(magnitude at most 3.4e38)"));
  std::string q = write_csv("f32_negative", "x1,label\n-3.5e38,0\n");
  BOOST_CHECK_EXCEPTION(read_csv(q), FileError,
                        message_is(q + ":2: column 1 ('x1'): '-3.5e38' is beyond the float32 "
                                       "range (magnitude at most 3.4e38)"));
  std::string r = write_csv("f32_label", "x1,label\n1,5e38\n");
  BOOST_CHECK_EXCEPTION(read_csv(r), FileError,
                        message_is(r + ":2: column 2 ('label'): '5e38' is beyond the float32 "
                                       "range (magnitude at most 3.4e38)"));
  // The largest float32 still reads; float64 holds the big values.
  std::string s = write_csv("f32_max", "x1,label\n3.4028234e38,0\n");
  BOOST_TEST(read_csv(s).x.data<float>()[0] == 3.4028234e38f);
  CsvOptions f64;
  f64.dtype = kFloat64;
  BOOST_TEST(read_csv(p, f64).x.at(3) == 1e39);
}

// Issue 14 item 9: labels are class indices when max_classes is set.
BOOST_AUTO_TEST_CASE(class_labels_name_file_line_and_column) {
  CsvOptions classes;
  classes.max_classes = 10;
  const std::pair<const char*, const char*> bad[] = {
      {"1.5", "1.5"}, {"-1", "-1"}, {"10", "10"}, {"1e20", "1e20"}, {"3e38", "3e38"}};
  for (const auto& [label, quoted] : bad) {
    std::string p = write_csv("labels", std::string("x,y\n1,2\n\n0.5,") + label + "\n");
    BOOST_CHECK_EXCEPTION(read_csv(p, classes), FileError,
                          message_is(p + ":4: column 2 ('y'): label '" + quoted +
                                     "' is not a class index (an integer from 0 to 9)"));
  }
  std::string ok = write_csv("labels_ok", "x,y\n1,9\n2,0\n");
  BOOST_TEST(read_csv(ok, classes).y.at(0) == 9.0);
  // Without max_classes a label is any finite number (a regression target).
  std::string reg = write_csv("labels_regression", "x,y\n1,1.5\n");
  BOOST_TEST(read_csv(reg).y.at(0) == 1.5);
}

// Issue 14 item 10: getline grew its string until memory ran out on a
// file without line ends, and the bad_alloc read as the end of the file.
BOOST_AUTO_TEST_CASE(a_line_longer_than_the_maximum_stops_the_reading) {
  std::string p = write_csv("long_line", "a,b\n" + std::string(kCsvMaxLineBytes + 1, '7'));
  BOOST_CHECK_EXCEPTION(read_csv(p), FileError,
                        message_is(p + ":2: line longer than 1048576 bytes, the maximum "
                                       "(CsvOptions::max_line_bytes): not a CSV text file?"));
  std::string q = write_csv("binary", std::string(3 << 20, '\0'));
  BOOST_CHECK_EXCEPTION(read_csv(q), FileError,
                        message_is(q + ":1: line longer than 1048576 bytes, the maximum "
                                       "(CsvOptions::max_line_bytes): not a CSV text file?"));
  CsvOptions small;
  small.max_line_bytes = 8;
  std::string r = write_csv("limit", "a,b\n1,2\n1234567,8\n");
  BOOST_CHECK_EXCEPTION(read_csv(r, small), FileError,
                        message_is(r + ":3: line longer than 8 bytes, the maximum "
                                       "(CsvOptions::max_line_bytes): not a CSV text file?"));
  // A line of exactly the maximum reads, with or without its line end.
  small.max_line_bytes = 7;
  std::string s = write_csv("at_limit", "a,b\r\n12345,7");
  BOOST_TEST(read_csv(s, small).x.at(0) == 12345.0);
}

// Issue 14 item 15: messages echoed whole fields, control bytes included.
BOOST_AUTO_TEST_CASE(file_content_is_quoted_as_a_short_escaped_excerpt) {
  std::string field = std::string("\x01\x7f\x1b[2J'\\", 8) + std::string(200, 'z');
  std::string p = write_csv("binary_field", "a\tb,label\n" + field + ",1\n");
  BOOST_CHECK_EXCEPTION(read_csv(p), FileError,
                        message_is(p +
                                   ":2: column 1 ('a\\tb'): not a finite number: "
                                   "'\\x01\\x7f\\x1b[2J\\'\\\\" +
                                   std::string(32, 'z') + "'... (208 bytes)"));
}

BOOST_AUTO_TEST_CASE(line_numbers_count_blank_lines_and_a_last_line_without_end) {
  std::string p = write_csv("numbers", "\r\na,b\n\n1,2\n\n\nx,3");
  BOOST_CHECK_EXCEPTION(read_csv(p), FileError,
                        message_is(p + ":7: column 1 ('a'): not a finite number: 'x'"));
}

BOOST_AUTO_TEST_SUITE_END()
