// Tests for ops/sigmoid.h.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/sigmoid.h"
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

// The lecture's g(z) = 1 / (1 + e^-z), for moderate z.
double hand_sigmoid(double z) { return 1 / (1 + std::exp(-z)); }

using xgrad::testing::message_is;
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_sigmoid_tests)

BOOST_AUTO_TEST_CASE(values_match_the_definition) {
  const std::vector<double> xs = {-3.0, -0.5, 0.0, 0.5, 4.0};
  std::vector<double> expected;
  for (double x : xs) expected.push_back(hand_sigmoid(x));
  check_close(xgrad::sigmoid(xgrad::tensor({-3.0, -0.5, 0.0, 0.5, 4.0}, kFloat64)).value(),
              expected, 1e-16);
  check_close(xgrad::sigmoid(xgrad::tensor({0.0, 1.0}, kFloat64)).value(),
              {0.5, 0.7310585786300049}, 1e-16);
  check_close(xgrad::sigmoid(xgrad::tensor({-3.0, -0.5, 0.0, 0.5, 4.0}, kFloat32)).value(),
              expected, 1e-7);
}

BOOST_AUTO_TEST_CASE(gradient_is_g_times_one_minus_g) {  // L7: g'(z) = a(1 - a)
  Tensor x = xgrad::tensor({-1.0, 0.0, 2.0}, kFloat64).requires_grad_();
  xgrad::sigmoid(x).backward(xgrad::tensor({1.0, 4.0, -2.0}, kFloat64).value());
  const double a = hand_sigmoid(-1), c = hand_sigmoid(2);
  check_close(x.grad(), {a * (1 - a), 1.0, -2 * c * (1 - c)}, 1e-16);
}

BOOST_AUTO_TEST_CASE(saturates_exactly_at_plus_minus_1000) {
  for (auto dtype : {kFloat64, kFloat32}) {
    Tensor x = xgrad::tensor({-1000.0, 1000.0}, dtype).requires_grad_();
    Tensor y = xgrad::sigmoid(x);
    BOOST_TEST(y.value().at(0) == 0.0);
    BOOST_TEST(y.value().at(1) == 1.0);
    y.backward(Array::full({2}, 1.0, dtype));
    BOOST_TEST(x.grad().at(0) == 0.0);
    BOOST_TEST(x.grad().at(1) == 0.0);
  }
}

BOOST_AUTO_TEST_CASE(gradcheck_sigmoid) {
  xgrad::Generator g(51);
  for (const Tensor& x :
       {xgrad::randn({2, 3}, g, kFloat64), xgrad::uniform({5}, -6, 6, g, kFloat64)}) {
    xgrad::GradcheckResult r =
        xgrad::gradcheck("sigmoid", [](const auto& in) { return xgrad::sigmoid(in[0]); }, {x});
    BOOST_TEST(r.pass(), r.message());
  }
}

BOOST_AUTO_TEST_CASE(dtype_and_shape_mismatches_are_errors) {
  Tensor x = xgrad::ones({2, 3}, kFloat64).requires_grad_();
  BOOST_CHECK_EXCEPTION(
      xgrad::sigmoid(x).backward(Array::full({2, 3}, 1.0, kFloat32)), xgrad::DTypeError,
      message_is("backward: upstream gradient must have the output's dtype: gradient float32, output float64"));
  BOOST_CHECK_EXCEPTION(xgrad::sigmoid(x).backward(Array::full({2, 1}, 1.0, kFloat64)),
                        xgrad::ShapeError,
                        message_is("backward: upstream gradient must have the output's shape: "
                                   "gradient (2, 1), output (2, 3)"));
}

BOOST_AUTO_TEST_SUITE_END()
