// Dataset helpers: slicing, class count, dtype conversion and checks.
#include <boost/test/unit_test.hpp>
#include <utility>

#include "framework/data/dataset.h"
#include "tests/test_messages.h"

using namespace xgrad;

namespace {

using xgrad::testing::message_is;

Dataset small() {
  return Dataset{Array(xt::xarray<float>{{0, 1}, {2, 3}, {4, 5}, {6, 7}}),
                 Array(xt::xarray<float>{3, 0, 1, 3})};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(framework_data_dataset_tests)

BOOST_AUTO_TEST_CASE(slice_copies_a_range_of_samples) {
  Dataset s = slice(small(), 1, 3);
  BOOST_TEST(s.size() == 2u);
  BOOST_TEST(s.x.shape() == (Shape{2, 2}));
  const float x[] = {2, 3, 4, 5};
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(s.x.data<float>()[i] == x[i]);
  BOOST_TEST(s.y.at(0) == 0.0);
  BOOST_TEST(s.y.at(1) == 1.0);
  BOOST_TEST(slice(small(), 4, 4).size() == 0u);
  BOOST_CHECK_EXCEPTION(
      slice(small(), 2, 5), ValueError,
      message_is<ValueError>("slice: range [2, 5) is outside a dataset of 4 samples"));
}

BOOST_AUTO_TEST_CASE(class_count_is_largest_label_plus_one) {
  BOOST_TEST(class_count(small()) == 4u);
  Dataset d = small();
  d.y.set(2, 1.5);
  BOOST_CHECK_EXCEPTION(class_count(d), ValueError,
                        message_is<ValueError>("class_count: label 2 is 1.5, not a class index (an "
                                               "integer from 0 to 65535)"));
}

// Item 9: label 1e20 was cast to size_t (undefined behaviour) and 1e6
// sized an output layer of gigabytes. Labels are class indices below a
// documented limit, or below the caller's class count.
BOOST_AUTO_TEST_CASE(class_count_refuses_labels_beyond_the_limit) {
  BOOST_TEST(kMaxClasses == 65536u);
  const std::pair<double, const char*> bad[] = {
      {1e20, "1e+20"}, {65536, "65536"}, {-1, "-1"}, {1e6 + 0.5, "1000000.5"}};
  for (const auto& [label, text] : bad) {
    Dataset d = small().to(kFloat64);
    d.y.set(1, label);
    BOOST_CHECK_EXCEPTION(class_count(d), ValueError,
                          message_is<ValueError>(std::string("class_count: label 1 is ") + text +
                                                 ", not a class index (an integer from 0 to "
                                                 "65535)"));
  }
  Dataset big = small();
  big.y.set(0, 65535);
  BOOST_TEST(class_count(big) == 65536u);
  BOOST_TEST(class_count(small(), 4) == 4u);
  BOOST_CHECK_EXCEPTION(class_count(small(), 3), ValueError,
                        message_is<ValueError>("class_count: label 0 is 3, not a class index (an "
                                               "integer from 0 to 2)"));
}

BOOST_AUTO_TEST_CASE(to_converts_both_arrays) {
  Dataset d = small().to(kFloat64);
  BOOST_TEST((d.x.dtype() == kFloat64));
  BOOST_TEST((d.y.dtype() == kFloat64));
  BOOST_TEST(d.x.at(7) == 7.0);
}

// Issue 11: int64 class labels beside float samples: checked, sliced,
// counted, and kept int64 by to().
BOOST_AUTO_TEST_CASE(int64_labels) {
  Dataset d = small();
  d.y = Array(xt::xarray<std::int64_t>{3, 0, 1, 3});
  BOOST_CHECK_NO_THROW(d.check("test"));
  Dataset s = slice(d, 1, 3);
  BOOST_TEST((s.y.dtype() == kInt64));
  BOOST_TEST(s.y.at(0) == 0.0);
  BOOST_TEST(s.y.at(1) == 1.0);
  BOOST_TEST(class_count(d) == 4u);
  d.y.set(2, -1);
  BOOST_CHECK_EXCEPTION(class_count(d), ValueError,
                        message_is<ValueError>("class_count: label 2 is -1, not a class index (an "
                                               "integer from 0 to 65535)"));
  Dataset f64 = d.to(kFloat64);
  BOOST_TEST((f64.x.dtype() == kFloat64));
  BOOST_TEST((f64.y.dtype() == kInt64));
  Dataset mixed{small().x, small().y.to(kFloat64)};
  BOOST_CHECK_EXCEPTION(
      mixed.check("test"), DTypeError,
      message_is<DTypeError>(
          "test: y must be int64 labels or have x's dtype: x float32, y float64"));
}

BOOST_AUTO_TEST_SUITE_END()
