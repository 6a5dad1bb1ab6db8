// Numeric CSV reading: label column by default, name and index; the
// error messages name the file, line and column.
#include <boost/test/unit_test.hpp>
#include <string>

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
                        message_is(p + ": no column named 'z' (columns: a, b, c)"));
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

BOOST_AUTO_TEST_SUITE_END()
