#include <boost/test/unit_test.hpp>
#include <set>

#include "framework/error.h"
#include "models/train/data_source.h"
#include "tests/framework/temp_dir.h"
#include "tests/test_messages.h"

namespace fs = std::filesystem;
using namespace xgrad;

namespace {
using xgrad::testing::message_is;
const std::string kBlobs = std::string(XGRAD_SOURCE_DIR) + "/tests/data/blobs.csv";
}  // namespace

BOOST_AUTO_TEST_SUITE(models_train_data_source_tests)

BOOST_AUTO_TEST_CASE(csv_is_split_by_a_seeded_shuffle) {
  DataSplits d = load_data("csv:" + kBlobs, ImageLayout::kFlat, 0.2, 7);
  BOOST_TEST(d.train.size() == 120u);
  BOOST_TEST(d.test.size() == 30u);
  BOOST_TEST(!d.images);
  BOOST_TEST(d.description == "CSV " + kBlobs + ": 120 train, 30 test, 4 features");
  // The two parts together are the file's rows: every row once (by its values).
  DataSplits whole = load_data("csv:" + kBlobs + "," + kBlobs);
  std::multiset<double> all, parts;
  for (std::size_t i = 0; i < whole.train.x.size(); ++i) all.insert(whole.train.x.at(i));
  for (std::size_t i = 0; i < d.train.x.size(); ++i) parts.insert(d.train.x.at(i));
  for (std::size_t i = 0; i < d.test.x.size(); ++i) parts.insert(d.test.x.at(i));
  BOOST_TEST((all == parts));
  // Same seed, same split; another seed, another one.
  BOOST_TEST(
      max_abs_diff(load_data("csv:" + kBlobs, ImageLayout::kFlat, 0.2, 7).test.x, d.test.x) == 0.0);
  BOOST_TEST(max_abs_diff(load_data("csv:" + kBlobs, ImageLayout::kFlat, 0.2, 8).test.x, d.test.x) >
             0.0);
}

// Issue 11: int64 labels on request, the same class indices and rows.
BOOST_AUTO_TEST_CASE(int64_labels_on_request) {
  DataSplits f = load_data("csv:" + kBlobs, ImageLayout::kFlat, 0.2, 7);
  DataSplits i = load_data("csv:" + kBlobs, ImageLayout::kFlat, 0.2, 7, kMaxClasses, kInt64);
  BOOST_TEST((i.train.y.dtype() == kInt64));
  BOOST_TEST((i.test.y.dtype() == kInt64));
  BOOST_TEST((i.train.x.dtype() == kFloat32));
  BOOST_TEST(max_abs_diff(i.train.x, f.train.x) == 0.0);
  for (std::size_t r = 0; r < f.test.size(); ++r) BOOST_TEST(i.test.y.at(r) == f.test.y.at(r));
}

BOOST_AUTO_TEST_CASE(take_rows_gathers_in_order) {
  DataSplits whole = load_data("csv:" + kBlobs + "," + kBlobs);
  Dataset two = take_rows(whole.train, {5, 2});
  BOOST_TEST((two.x.shape() == Shape{2, 4}));
  BOOST_TEST(two.x.at(0) == whole.train.x.at(5 * 4));
  BOOST_TEST(two.y.at(1) == whole.train.y.at(2));
  Dataset ints{whole.train.x, whole.train.y.to(kInt64)};
  Dataset three = take_rows(ints, {5, 2, 7});
  BOOST_TEST((three.y.dtype() == kInt64));
  for (std::size_t i : {0, 1, 2})
    BOOST_TEST(three.y.at(i) == whole.train.y.at(i == 0 ? 5 : i == 1 ? 2 : 7));
}

BOOST_AUTO_TEST_CASE(unknown_source_and_missing_file) {
  BOOST_CHECK_EXCEPTION(
      load_data("mnist"), ValueError,
      message_is("unknown data source 'mnist' (known: fashion-mnist, csv:PATH[,TEST])"));
  BOOST_CHECK_THROW(load_data("csv:/nonexistent/x.csv"), FileError);
  BOOST_CHECK_THROW(load_data("csv:" + kBlobs, ImageLayout::kFlat, 1.5), ValueError);
}

// Item 8: 1-4 rows gave an empty 20% test split, and a SIGFPE in the
// scaler after it.
BOOST_AUTO_TEST_CASE(a_split_that_leaves_a_set_empty_is_an_error) {
  fs::path dir = testing::temp_dir("data_source_small");
  std::string rows = "a,label\n";
  for (int n = 1; n <= 5; ++n) {
    rows += std::to_string(n) + "," + std::to_string(n % 2) + "\n";
    std::string p = (dir / ("rows" + std::to_string(n) + ".csv")).string();
    testing::write_bytes(p, rows);
    if (n == 5) {
      DataSplits d = load_data("csv:" + p);
      BOOST_TEST(d.train.size() == 4u);
      BOOST_TEST(d.test.size() == 1u);
      continue;
    }
    BOOST_CHECK_EXCEPTION(
        load_data("csv:" + p), ValueError,
        message_is<ValueError>("load_data: " + p + " has " + std::to_string(n) +
                               (n == 1 ? " row" : " rows") +
                               ": a test fraction of 0.2 leaves the test set empty (it needs at "
                               "least 5 rows, or a separate test file: csv:TRAIN,TEST)"));
  }
  std::string p = (dir / "rows5.csv").string();
  BOOST_CHECK_EXCEPTION(
      load_data("csv:" + p, ImageLayout::kFlat, 0.15), ValueError,
      message_is<ValueError>("load_data: " + p +
                             " has 5 rows: a test fraction of 0.15 leaves the test set empty (it "
                             "needs at least 7 rows, or a separate test file: csv:TRAIN,TEST)"));
}

// Item 9: CSV labels are class indices, checked with file, line and column.
BOOST_AUTO_TEST_CASE(csv_labels_beyond_the_class_limit_name_file_and_line) {
  fs::path dir = testing::temp_dir("data_source_labels");
  std::string p = (dir / "big.csv").string();
  testing::write_bytes(p, "a,label\n1,0\n2,1e20\n3,1\n4,0\n5,1\n");
  BOOST_CHECK_EXCEPTION(load_data("csv:" + p), FileError,
                        message_is<FileError>(p + ":3: column 2 ('label'): label '1e20' is not a "
                                                  "class index (an integer from 0 to 65535)"));
  BOOST_CHECK_EXCEPTION(load_data("csv:" + kBlobs, ImageLayout::kFlat, 0.2, 0, 2), FileError,
                        [](const FileError& e) {
                          return std::string(e.what()).find(
                                     ": label '2' is not a class index (an "
                                     "integer from 0 to 1)") != std::string::npos;
                        });
}

BOOST_AUTO_TEST_SUITE_END()
