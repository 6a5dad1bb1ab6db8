// Tests for ops/avg_pool2d.h: hand values (the padding counts in the divisor), the spread
// gradient, gradcheck, errors.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/avg_pool2d.h"
#include "tests/test_messages.h"

using xgrad::Array;
using xgrad::kFloat64;
using xgrad::Pool2dOptions;
using xgrad::Shape;
using xgrad::Tensor;

namespace {
void check_close(const Array& a, const std::vector<double>& expected) {
  BOOST_TEST_REQUIRE(a.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    BOOST_TEST_INFO("element " << i);
    BOOST_TEST(std::abs(a.at(i) - expected[i]) <= 1e-15 * (1 + std::abs(expected[i])));
  }
}

using xgrad::testing::message_is;

Tensor one_to_sixteen() {
  return xgrad::tensor({{{{1.0, 2.0, 3.0, 4.0},
                          {5.0, 6.0, 7.0, 8.0},
                          {9.0, 10.0, 11.0, 12.0},
                          {13.0, 14.0, 15.0, 16.0}}}},
                       kFloat64);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_avg_pool2d_tests)

BOOST_AUTO_TEST_CASE(window_means_and_spread_gradient) {
  Tensor x = one_to_sixteen().requires_grad_();
  Tensor y = xgrad::avg_pool2d(x, Pool2dOptions(2));
  BOOST_TEST(y.shape() == Shape({1, 1, 2, 2}));
  check_close(y.value(), {(1 + 2 + 5 + 6) / 4.0, (3 + 4 + 7 + 8) / 4.0, (9 + 10 + 13 + 14) / 4.0,
                          (11 + 12 + 15 + 16) / 4.0});
  y.backward(xgrad::tensor({{{{1.0, 2.0}, {3.0, 4.0}}}}, kFloat64).value());
  check_close(x.grad(),
              {0.25, 0.25, 0.5, 0.5, 0.25, 0.25, 0.5, 0.5, 0.75, 0.75, 1, 1, 0.75, 0.75, 1, 1});
}

BOOST_AUTO_TEST_CASE(padding_counts_as_zeros_in_the_divisor) {
  // 3x3 windows, stride 2, padding 1: each window holds 4 real values of 9
  Tensor x = one_to_sixteen().requires_grad_();
  Tensor y = xgrad::avg_pool2d(x, Pool2dOptions(3, 2, 1));
  check_close(y.value(),
              {(1 + 2 + 5 + 6) / 9.0, (2 + 3 + 4 + 6 + 7 + 8) / 9.0,
               (5 + 6 + 9 + 10 + 13 + 14) / 9.0, (6 + 7 + 8 + 10 + 11 + 12 + 14 + 15 + 16) / 9.0});
  y.backward(Array::full({1, 1, 2, 2}, 9.0, kFloat64));
  // how many windows hold each input: rows/cols 0 -> 1 window, 1 -> 2, 2 -> 1, 3 -> 1
  const double n[4] = {1, 2, 1, 1};
  std::vector<double> expected;
  for (double r : n) {
    for (double c : n) expected.push_back(r * c);
  }
  check_close(x.grad(), expected);
}

BOOST_AUTO_TEST_CASE(gradcheck_avg_pool2d) {
  xgrad::Generator gen(6);
  for (const Pool2dOptions& o :
       {Pool2dOptions(2), Pool2dOptions(3, 2, 1), Pool2dOptions::axes({3, 2}, {2, 1}, {1, 0})}) {
    xgrad::GradcheckResult r = xgrad::gradcheck(
        "avg_pool2d", [o](const std::vector<Tensor>& v) { return xgrad::avg_pool2d(v[0], o); },
        {xgrad::randn({2, 2, 6, 7}, gen, kFloat64)});
    BOOST_TEST(r.pass(), r.message());
  }
}

BOOST_AUTO_TEST_CASE(bad_configurations_are_errors) {
  BOOST_CHECK_EXCEPTION(xgrad::avg_pool2d(xgrad::zeros({2, 3, 4, 1}), Pool2dOptions(2)),
                        xgrad::ShapeError,
                        message_is("avg_pool2d: empty output (kernel 2x2, stride 2x2, padding "
                                   "0x0): input (2, 3, 4, 1)"));
  BOOST_CHECK_EXCEPTION(xgrad::avg_pool2d(xgrad::zeros({1, 1, 4, 4}), Pool2dOptions(0)),
                        xgrad::ValueError,
                        message_is("avg_pool2d: kernel must be positive: kernel 0x0"));
}

BOOST_AUTO_TEST_SUITE_END()
