// Tests for ops/elementwise.h: exp, log, sqrt, abs, pow, square, log1p, expm1,
// erf, sin, cos.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/elementwise.h"
#include "tests/test_messages.h"

using xgrad::Array;
using xgrad::kFloat32;
using xgrad::kFloat64;
using xgrad::Tensor;

namespace {
using UnaryFn = Tensor (*)(const Tensor&);

void check_close(const Array& a, const std::vector<double>& expected, double tol = 1e-15) {
  BOOST_TEST_REQUIRE(a.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    BOOST_TEST_INFO("element " << i);
    BOOST_TEST(std::abs(a.at(i) - expected[i]) <= tol);
  }
}

// dx of f at x for the upstream gradient dy.
Array grad_of(UnaryFn f, const Tensor& x, const Array& dy) {
  Tensor leaf = Tensor(x.value(), true);
  f(leaf).backward(dy);
  return leaf.grad();
}

Array ones(std::size_t n) { return Array::full({n}, 1.0, kFloat64); }

using xgrad::testing::message_is;

void gradcheck_unary(const char* name, UnaryFn f, const Tensor& x) {
  xgrad::GradcheckResult r =
      xgrad::gradcheck(name, [f](const std::vector<Tensor>& in) { return f(in[0]); }, {x});
  BOOST_TEST(r.pass(), r.message());
}
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_elementwise_tests)

BOOST_AUTO_TEST_CASE(exp_values_and_gradient) {
  Tensor x = xgrad::tensor({0.0, 1.0, -2.0}, kFloat64);
  const double e = 2.718281828459045, e_m2 = 0.1353352832366127;
  check_close(xgrad::exp(x).value(), {1.0, e, e_m2});
  // dx = dy · exp(x)
  check_close(grad_of(xgrad::exp, x, xgrad::tensor({2.0, 1.0, 3.0}, kFloat64).value()),
              {2.0, e, 3 * e_m2}, 1e-15);
}

BOOST_AUTO_TEST_CASE(log_values_and_gradient) {
  Tensor x = xgrad::tensor({1.0, 2.718281828459045, 4.0}, kFloat64);
  check_close(xgrad::log(x).value(), {0.0, 1.0, 1.3862943611198906});
  check_close(grad_of(xgrad::log, x, ones(3)), {1.0, 0.36787944117144233, 0.25});
}

BOOST_AUTO_TEST_CASE(log_outside_its_domain_is_minus_inf_or_nan) {
  Array y = xgrad::log(xgrad::tensor({0.0, -1.0}, kFloat64)).value();
  BOOST_TEST(y.at(0) == -std::numeric_limits<double>::infinity());
  BOOST_TEST(std::isnan(y.at(1)));
  BOOST_TEST(std::isnan(xgrad::sqrt(xgrad::tensor({-1.0}, kFloat64)).value().at(0)));
}

BOOST_AUTO_TEST_CASE(sqrt_values_and_gradient) {
  Tensor x = xgrad::tensor({4.0, 2.0, 0.25}, kFloat64);
  check_close(xgrad::sqrt(x).value(), {2.0, 1.4142135623730951, 0.5});
  // dx = 1 / (2 sqrt(x))
  check_close(grad_of(xgrad::sqrt, x, ones(3)), {0.25, 0.35355339059327373, 1.0});
}

BOOST_AUTO_TEST_CASE(abs_values_and_sign_gradient_zero_at_zero) {
  Tensor x = xgrad::tensor({-3.0, 0.0, 2.5}, kFloat64);
  check_close(xgrad::abs(x).value(), {3.0, 0.0, 2.5});
  check_close(grad_of(xgrad::abs, x, xgrad::tensor({5.0, 7.0, 11.0}, kFloat64).value()),
              {-5.0, 0.0, 11.0});
}

BOOST_AUTO_TEST_CASE(pow_values_and_gradient) {
  Tensor x = xgrad::tensor({2.0, 4.0, 9.0}, kFloat64);
  auto cube = [](const Tensor& t) { return xgrad::pow(t, 3); };
  auto root = [](const Tensor& t) { return xgrad::pow(t, 0.5); };
  auto inverse = [](const Tensor& t) { return xgrad::pow(t, -1); };
  check_close(cube(x).value(), {8.0, 64.0, 729.0});
  check_close(root(x).value(), {1.4142135623730951, 2.0, 3.0});
  check_close(inverse(x).value(), {0.5, 0.25, 1.0 / 9});
  // p · x^(p-1): 3x², 1/(2 sqrt x), -1/x²
  check_close(grad_of(cube, x, ones(3)), {12.0, 48.0, 243.0});
  check_close(grad_of(root, x, ones(3)), {0.35355339059327373, 0.25, 1.0 / 6});
  check_close(grad_of(inverse, x, ones(3)), {-0.25, -0.0625, -1.0 / 81});
}

BOOST_AUTO_TEST_CASE(pow_zero_has_zero_gradient_even_at_zero) {
  Tensor x = xgrad::tensor({0.0, 3.0}, kFloat64);
  auto one = [](const Tensor& t) { return xgrad::pow(t, 0); };
  check_close(one(x).value(), {1.0, 1.0});
  check_close(grad_of(one, x, ones(2)), {0.0, 0.0});
}

BOOST_AUTO_TEST_CASE(square_values_and_gradient) {
  Tensor x = xgrad::tensor({-3.0, 0.5, 2.0}, kFloat64);
  check_close(xgrad::square(x).value(), {9.0, 0.25, 4.0});
  check_close(grad_of(xgrad::square, x, xgrad::tensor({1.0, 2.0, -1.0}, kFloat64).value()),
              {-6.0, 2.0, -4.0});
}

BOOST_AUTO_TEST_CASE(float32_keeps_its_dtype) {
  Tensor x = xgrad::tensor({{1.0, 4.0}, {9.0, 16.0}}, kFloat32);
  for (UnaryFn f : {xgrad::exp, xgrad::log, xgrad::sqrt, xgrad::abs, xgrad::square}) {
    BOOST_TEST((f(x).dtype() == kFloat32));
    BOOST_TEST((f(x).shape() == x.shape()));
  }
  check_close(xgrad::sqrt(x).value(), {1.0, 2.0, 3.0, 4.0}, 0);
}

BOOST_AUTO_TEST_CASE(gradcheck_all) {
  xgrad::Generator g(3);
  Tensor any = xgrad::randn({2, 3}, g, kFloat64);
  Tensor positive = xgrad::uniform({2, 3}, 0.5, 2.0, g, kFloat64);
  Tensor negative = xgrad::uniform({2, 3}, -2.0, -0.2, g, kFloat64);
  gradcheck_unary("exp", xgrad::exp, any);
  gradcheck_unary("square", xgrad::square, any);
  gradcheck_unary("log", xgrad::log, positive);
  gradcheck_unary("sqrt", xgrad::sqrt, positive);
  gradcheck_unary("abs", xgrad::abs, positive);
  gradcheck_unary("abs", xgrad::abs, negative);
  gradcheck_unary(
      "pow", [](const Tensor& t) { return xgrad::pow(t, 2.5); }, positive);
  gradcheck_unary(
      "pow", [](const Tensor& t) { return xgrad::pow(t, -0.5); }, positive);
  gradcheck_unary(
      "pow", [](const Tensor& t) { return xgrad::pow(t, 3); }, any);
}

BOOST_AUTO_TEST_CASE(errors_name_the_op) {
  BOOST_CHECK_EXCEPTION(xgrad::log(Tensor()), xgrad::GraphError,
                        message_is("log: input is an undefined tensor"));
  Tensor x = xgrad::ones({2, 3}, kFloat64).requires_grad_();
  BOOST_CHECK_EXCEPTION(xgrad::exp(x).backward(ones(3)), xgrad::ShapeError,
                        message_is("backward: upstream gradient must have the output's shape: "
                                   "gradient (3), output (2, 3)"));
}

BOOST_AUTO_TEST_CASE(log1p_expm1_erf_sin_cos_values_and_gradients) {
  // Values from libtorch 1.13.1 (float64), pasted: exact near 0 where log(1 + x)
  // and exp(x) - 1 lose every digit.
  Tensor small = xgrad::tensor({1e-10, -0.5, 3.0}, kFloat64);
  check_close(xgrad::log1p(small).value(),
              {9.9999999995000007e-11, -0.69314718055994529, 1.3862943611198906}, 1e-15);
  // Relative accuracy at 1e-10 (a naive log(1 + x) is 8e-7 off there, relatively).
  BOOST_TEST(std::abs(xgrad::log1p(small).value().at(0) / 9.9999999995000007e-11 - 1) < 1e-15);
  BOOST_TEST(std::abs(xgrad::expm1(small).value().at(0) / 1.00000000005e-10 - 1) < 1e-15);
  check_close(xgrad::expm1(small).value(),
              {1.00000000005e-10, -0.39346934028736658, 19.085536923187668}, 1e-14);
  Tensor x = xgrad::tensor({-3.0, -1.5, -0.5, 0.0, 0.25, 1.0, 2.5}, kFloat64);
  check_close(xgrad::erf(x).value(),
              {-0.99997790950300136, -0.96610514647531076, -0.52049987781304652, 0,
               0.27632639016823696, 0.84270079294971489, 0.99959304798255499},
              1e-15);
  Array dy = xgrad::tensor({2.0, 1.0, 3.0}, kFloat64).value();
  // log1p: dy / (1 + x); expm1: dy · exp(x)
  check_close(grad_of(xgrad::log1p, small, dy), {2.0 / (1 + 1e-10), 1.0 / 0.5, 3.0 / 4.0}, 1e-15);
  check_close(grad_of(xgrad::expm1, small, dy),
              {2 * std::exp(1e-10), std::exp(-0.5), 3 * std::exp(3.0)}, 1e-13);
  Tensor t = xgrad::tensor({0.0, 0.5, -2.0}, kFloat64);
  const double two_over_sqrt_pi = 2 / std::sqrt(std::acos(-1.0));
  check_close(grad_of(xgrad::erf, t, dy), {2 * two_over_sqrt_pi, two_over_sqrt_pi * std::exp(-0.25),
                                           3 * two_over_sqrt_pi * std::exp(-4.0)});
  check_close(xgrad::sin(t).value(), {0.0, std::sin(0.5), std::sin(-2.0)});
  check_close(grad_of(xgrad::sin, t, dy), {2.0, std::cos(0.5), 3 * std::cos(-2.0)});
  check_close(xgrad::cos(t).value(), {1.0, std::cos(0.5), std::cos(-2.0)});
  check_close(grad_of(xgrad::cos, t, dy), {-0.0, -std::sin(0.5), -3 * std::sin(-2.0)});
  BOOST_TEST(std::isinf(xgrad::log1p(xgrad::tensor({-1.0}, kFloat64)).item()));
  BOOST_TEST(std::isnan(xgrad::log1p(xgrad::tensor({-2.0}, kFloat64)).item()));
  for (UnaryFn f : {xgrad::log1p, xgrad::expm1, xgrad::erf, xgrad::sin, xgrad::cos}) {
    xgrad::GradcheckResult r =
        xgrad::gradgradcheck("unary", [f](const std::vector<Tensor>& in) { return f(in[0]); },
                             {xgrad::tensor({0.3, -0.2, 1.5}, kFloat64)});
    BOOST_TEST(r.pass(), r.message());
  }
}

BOOST_AUTO_TEST_SUITE_END()
