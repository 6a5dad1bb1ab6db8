// Tests for ops/max.h: maximum along an axis.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/max.h"
#include "ops/op_db/samples.h"
#include "tests/ops/op_test_util.h"
#include "tests/test_messages.h"

using xgrad::Array;
using xgrad::kFloat32;
using xgrad::kFloat64;
using xgrad::Shape;
using xgrad::Tensor;

namespace {
void check_equal(const Array& a, const std::vector<double>& expected) {
  BOOST_TEST_REQUIRE(a.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    BOOST_TEST_INFO("element " << i);
    BOOST_TEST(a.at(i) == expected[i]);
  }
}

using xgrad::testing::message_is;
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_max_tests)

BOOST_AUTO_TEST_CASE(values_along_each_axis) {
  Tensor x = xgrad::tensor({{1.0, 5.0, -2.0}, {4.0, 0.0, 3.0}}, kFloat64);
  check_equal(xgrad::max(x, 1).value(), {5.0, 4.0});
  check_equal(xgrad::max(x, -1).value(), {5.0, 4.0});
  check_equal(xgrad::max(x, 0).value(), {4.0, 5.0, 3.0});
  check_equal(xgrad::max(x, -2).value(), {4.0, 5.0, 3.0});
  BOOST_TEST((xgrad::max(x, 1).shape() == Shape{2}));
  BOOST_TEST((xgrad::max(x, 1, true).shape() == Shape{2, 1}));
  BOOST_TEST((xgrad::max(x, 0, true).shape() == Shape{1, 3}));
  BOOST_TEST((xgrad::max(x, 0, true).dtype() == kFloat64));
  BOOST_TEST((xgrad::max(xgrad::tensor({1.0, -1.0}, kFloat32), 0).dtype() == kFloat32));
}

BOOST_AUTO_TEST_CASE(three_d_middle_axis_by_hand_loops) {
  xgrad::Generator g(21);
  Tensor x = xgrad::randn({2, 3, 4}, g, kFloat64);
  Array y = xgrad::max(x, 1).value();
  BOOST_TEST((y.shape() == Shape{2, 4}));
  for (std::size_t a = 0; a < 2; ++a) {
    for (std::size_t c = 0; c < 4; ++c) {
      double best = -std::numeric_limits<double>::infinity();
      for (std::size_t b = 0; b < 3; ++b) best = std::max(best, x.value().at(a * 12 + b * 4 + c));
      BOOST_TEST(y.at(a * 4 + c) == best);
    }
  }
}

BOOST_AUTO_TEST_CASE(gradient_goes_to_the_first_maximum) {
  // Row 0 ties at columns 1 and 2, row 1 at columns 0 and 1: the first wins.
  Tensor x = xgrad::tensor({{1.0, 3.0, 3.0}, {2.0, 2.0, 0.0}}, kFloat64).requires_grad_();
  xgrad::max(x, 1).backward(xgrad::tensor({10.0, 20.0}, kFloat64).value());
  check_equal(x.grad(), {0.0, 10.0, 0.0, 20.0, 0.0, 0.0});

  Tensor z = xgrad::tensor({{1.0, 7.0}, {6.0, 7.0}, {6.0, -1.0}}, kFloat64).requires_grad_();
  xgrad::max(z, 0, true).backward(xgrad::tensor({{3.0, 4.0}}, kFloat64).value());
  check_equal(z.grad(), {0.0, 4.0, 3.0, 0.0, 0.0, 0.0});
}

BOOST_AUTO_TEST_CASE(nan_propagates) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Array y = xgrad::max(xgrad::tensor({{1.0, nan, 3.0}, {nan, 5.0, 2.0}}, kFloat64), 1).value();
  BOOST_TEST(std::isnan(y.at(0)));
  BOOST_TEST(std::isnan(y.at(1)));
}

BOOST_AUTO_TEST_CASE(gradcheck_without_ties) {
  xgrad::Generator g(22);
  Tensor x = xgrad::samples::distinct({3, 4, 2}, g);
  for (int axis : {0, 1, 2}) {
    BOOST_TEST_CONTEXT("axis " << axis) {
      xgrad::GradcheckResult r =
          xgrad::gradcheck("max", [axis](const auto& in) { return xgrad::max(in[0], axis); }, {x});
      BOOST_TEST(r.pass(), r.message());
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_axis_and_empty_axis_are_shape_errors) {
  BOOST_CHECK_EXCEPTION(xgrad::max(xgrad::zeros({2, 3}), 2), xgrad::ShapeError,
                        message_is("max: axis 2 is out of range: input (2, 3)"));
  BOOST_CHECK_EXCEPTION(xgrad::max(xgrad::scalar(1.0), 0), xgrad::ShapeError,
                        message_is("max: axis 0 is out of range: input ()"));
  BOOST_CHECK_EXCEPTION(xgrad::max(xgrad::zeros({2, 0}), -1), xgrad::ShapeError,
                        message_is("max: axis -1 is empty: input (2, 0)"));
}

BOOST_AUTO_TEST_CASE(min_values_and_gradient_to_the_first_minimum) {
  Tensor x = xgrad::tensor({{1.0, -3.0, -3.0}, {2.0, 0.0, 0.0}}, kFloat64).requires_grad_();
  Tensor y = xgrad::min(x, 1);
  check_equal(y.value(), {-3.0, 0.0});
  y.backward(xgrad::tensor({10.0, 20.0}, kFloat64).value());
  check_equal(x.grad(), {0.0, 10.0, 0.0, 0.0, 20.0, 0.0});
  check_equal(xgrad::min(x, 0, true).value(), {1.0, -3.0, -3.0});
  BOOST_TEST((xgrad::min(x, 0, true).shape() == Shape{1, 3}));
}

BOOST_AUTO_TEST_CASE(all_element_reductions) {
  Tensor x = xgrad::tensor({{1.0, 5.0, -2.0}, {4.0, 0.0, 3.0}}, kFloat64).requires_grad_();
  BOOST_TEST(xgrad::max(x).item() == 5.0);
  BOOST_TEST(xgrad::min(x).item() == -2.0);
  BOOST_TEST((xgrad::max(x).shape() == Shape{}));
  xgrad::min(x).backward();
  check_equal(x.grad(), {0, 0, 1, 0, 0, 0});
  BOOST_CHECK_EXCEPTION(xgrad::max(xgrad::zeros({0, 3})), xgrad::ShapeError,
                        message_is("max: input is empty: input (0, 3)"));
}

BOOST_AUTO_TEST_CASE(argmax_and_argmin_as_pytorch) {
  Tensor x = xgrad::tensor({{1.0, 5.0, 5.0}, {4.0, 0.0, 4.0}}, kFloat64);
  Tensor am = xgrad::argmax(x, 1);
  BOOST_TEST((am.dtype() == xgrad::kInt64));
  BOOST_TEST((am.shape() == Shape{2}));
  check_equal(am.value(), {1, 0});  // the first of tied maxima
  check_equal(xgrad::argmin(x, 1).value(), {0, 1});
  check_equal(xgrad::argmax(x, 0).value(), {1, 0, 0});
  BOOST_TEST((xgrad::argmax(x, -1, true).shape() == Shape{2, 1}));
  BOOST_TEST(xgrad::argmax(x).item() == 1.0);  // flat index over all elements
  BOOST_TEST(xgrad::argmin(x).item() == 4.0);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor n = xgrad::tensor({1.0, nan, 7.0, nan}, kFloat64);
  BOOST_TEST(xgrad::argmax(n).item() == 1.0);  // NaN is the maximum and the minimum
  BOOST_TEST(xgrad::argmin(n).item() == 1.0);
  BOOST_TEST(std::isnan(xgrad::min(n, 0).item()));
  check_equal(xgrad::argmax(xgrad::tensor({3, 9, 2})).value(), {1});  // int64 input
  BOOST_TEST(!xgrad::argmax(x.requires_grad_()).requires_grad());
}

BOOST_AUTO_TEST_CASE(identical_for_one_and_two_threads) {
  xgrad::Generator g(23);
  Tensor x = xgrad::randn({512, 300}, g);
  xgrad::testing::check_same_for_threads([&] { return xgrad::min(x, 0).value(); });
  xgrad::testing::check_same_for_threads([&] { return xgrad::argmax(x, 1).value(); });
}

BOOST_AUTO_TEST_SUITE_END()
