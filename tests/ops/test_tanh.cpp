// Tests for ops/tanh.h.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/tanh.h"
#include "tests/test_messages.h"

using xgrad::Array;
using xgrad::kFloat32;
using xgrad::kFloat64;
using xgrad::Tensor;

namespace {
void check_close(const Array& a, const std::vector<double>& expected, double tol) {
  BOOST_TEST_REQUIRE(a.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    BOOST_TEST_INFO("element " << i);
    BOOST_TEST(std::abs(a.at(i) - expected[i]) <= tol);
  }
}

// tanh by its definition (e^x - e^-x) / (e^x + e^-x), for moderate x.
double hand_tanh(double x) { return (std::exp(x) - std::exp(-x)) / (std::exp(x) + std::exp(-x)); }

using xgrad::testing::message_is;
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_tanh_tests)

BOOST_AUTO_TEST_CASE(values_match_the_definition) {
  const std::vector<double> xs = {-2.0, -0.5, 0.0, 0.5, 3.0};
  std::vector<double> expected;
  for (double x : xs) expected.push_back(hand_tanh(x));
  Tensor x = xgrad::tensor({-2.0, -0.5, 0.0, 0.5, 3.0}, kFloat64);
  check_close(xgrad::tanh(x).value(), expected, 1e-15);
  check_close(xgrad::tanh(xgrad::tensor({0.5}, kFloat64)).value(), {0.46211715726000974}, 1e-16);
  check_close(xgrad::tanh(xgrad::tensor({-2.0, -0.5, 0.0, 0.5, 3.0}, kFloat32)).value(), expected,
              1e-7);
}

BOOST_AUTO_TEST_CASE(gradient_is_one_minus_tanh_squared) {
  Tensor x = xgrad::tensor({-2.0, 0.0, 0.5}, kFloat64).requires_grad_();
  xgrad::tanh(x).backward(xgrad::tensor({1.0, 2.0, 3.0}, kFloat64).value());
  check_close(x.grad(),
              {1 - hand_tanh(-2) * hand_tanh(-2), 2.0, 3 * (1 - hand_tanh(0.5) * hand_tanh(0.5))},
              1e-15);
}

BOOST_AUTO_TEST_CASE(saturates_exactly_at_plus_minus_1000) {
  for (auto dtype : {kFloat64, kFloat32}) {
    Tensor x = xgrad::tensor({-1000.0, 1000.0}, dtype).requires_grad_();
    Tensor y = xgrad::tanh(x);
    BOOST_TEST(y.value().at(0) == -1.0);
    BOOST_TEST(y.value().at(1) == 1.0);
    y.backward(Array::full({2}, 1.0, dtype));
    BOOST_TEST(std::isfinite(x.grad().at(0)));
    BOOST_TEST(std::isfinite(x.grad().at(1)));
    BOOST_TEST(x.grad().at(1) == 0.0);
  }
}

BOOST_AUTO_TEST_CASE(gradcheck_tanh) {
  xgrad::Generator g(41);
  for (const Tensor& x :
       {xgrad::randn({2, 3}, g, kFloat64), xgrad::uniform({5}, -4, 4, g, kFloat64)}) {
    xgrad::GradcheckResult r =
        xgrad::gradcheck("tanh", [](const auto& in) { return xgrad::tanh(in[0]); }, {x});
    BOOST_TEST(r.pass(), r.message());
  }
}

BOOST_AUTO_TEST_CASE(dtype_and_shape_mismatches_are_errors) {
  Tensor x = xgrad::ones({2, 3}, kFloat64).requires_grad_();
  BOOST_CHECK_EXCEPTION(
      xgrad::tanh(x).backward(Array::full({2, 3}, 1.0, kFloat32)), xgrad::DTypeError,
      message_is("backward: upstream gradient must have the output's dtype: gradient float32, output float64"));
  BOOST_CHECK_EXCEPTION(xgrad::tanh(x).backward(Array::full({3}, 1.0, kFloat64)), xgrad::ShapeError,
                        message_is("backward: upstream gradient must have the output's shape: "
                                   "gradient (3), output (2, 3)"));
}

BOOST_AUTO_TEST_SUITE_END()
