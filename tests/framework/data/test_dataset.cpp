// Dataset helpers: slicing, class count, dtype conversion and checks.
#include <boost/test/unit_test.hpp>

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
  BOOST_CHECK_EXCEPTION(
      class_count(d), ValueError,
      message_is<ValueError>("class_count: label 2 is 1.500000, not a non-negative integer"));
}

BOOST_AUTO_TEST_CASE(to_converts_both_arrays) {
  Dataset d = small().to(kFloat64);
  BOOST_TEST((d.x.dtype() == kFloat64));
  BOOST_TEST((d.y.dtype() == kFloat64));
  BOOST_TEST(d.x.at(7) == 7.0);
}

BOOST_AUTO_TEST_SUITE_END()
