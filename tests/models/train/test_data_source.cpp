#include <boost/test/unit_test.hpp>
#include <set>

#include "framework/error.h"
#include "models/train/data_source.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::message_is;

namespace {
const std::string kBlobs = std::string(XGRAD_SOURCE_DIR) + "/tests/data/blobs.csv";
}

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

BOOST_AUTO_TEST_CASE(take_rows_gathers_in_order) {
  DataSplits whole = load_data("csv:" + kBlobs + "," + kBlobs);
  Dataset two = take_rows(whole.train, {5, 2});
  BOOST_TEST((two.x.shape() == Shape{2, 4}));
  BOOST_TEST(two.x.at(0) == whole.train.x.at(5 * 4));
  BOOST_TEST(two.y.at(1) == whole.train.y.at(2));
}

BOOST_AUTO_TEST_CASE(unknown_source_and_missing_file) {
  BOOST_CHECK_EXCEPTION(
      load_data("mnist"), ValueError,
      message_is("unknown data source 'mnist' (known: fashion-mnist, csv:PATH[,TEST])"));
  BOOST_CHECK_THROW(load_data("csv:/nonexistent/x.csv"), FileError);
  BOOST_CHECK_THROW(load_data("csv:" + kBlobs, ImageLayout::kFlat, 1.5), ValueError);
}

BOOST_AUTO_TEST_SUITE_END()
