// L5: the regression cost J = (1/2n) Σ (h(x_i) − y_i)² (the extraction lost
// the minus sign). Checked: value and gradient by hand, for a linear model
// and for the lecture's network with one sigmoid output.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/factory.h"
#include "models/lecture/reference_bridge.h"
#include "ops/linear.h"
#include "ops/mse.h"

using namespace xgrad;
namespace ref = lecture_ref;

BOOST_AUTO_TEST_SUITE(lecture_l05_regression_cost_tests)

BOOST_AUTO_TEST_CASE(linear_model_value_and_gradient) {
  Generator gen(51);
  const std::size_t n = 8, d = 2;
  Tensor X(gen.normal({n, d}, 0.0, 1.0, kFloat64));
  Tensor y(gen.normal({n, 1}, 0.0, 2.0, kFloat64));
  Tensor w(gen.normal({1, d}, 0.0, 1.0, kFloat64), true),
      b(gen.normal({1}, 0.0, 1.0, kFloat64), true);
  Tensor J = mse(linear(X, w, b), y, Reduction::kMean, MseScale::kHalf);

  // By hand: J = (1/2n) Σ (h − y)², ∂J/∂θ_j = (1/n) Σ (h − y) x_j with x0 = 1.
  double hand = 0, g0 = 0, g[2] = {0, 0};
  for (std::size_t i = 0; i < n; ++i) {
    const double x1 = X.value().at(i * d), x2 = X.value().at(i * d + 1);
    const double h = b.value().at(0) + w.value().at(0) * x1 + w.value().at(1) * x2;
    const double e = h - y.value().at(i);
    hand += e * e / (2.0 * n);
    g0 += e / n;
    g[0] += e * x1 / n;
    g[1] += e * x2 / n;
  }
  BOOST_TEST(std::abs(J.item() - hand) <= 1e-12);
  J.backward();
  BOOST_TEST(std::abs(b.grad().at(0) - g0) <= 1e-12);
  BOOST_TEST(std::abs(w.grad().at(0) - g[0]) <= 1e-12);
  BOOST_TEST(std::abs(w.grad().at(1) - g[1]) <= 1e-12);
}

BOOST_AUTO_TEST_CASE(network_value_and_gradient) {
  // h_Θ(x) is the network's single sigmoid output; the gradient by hand is
  // backprop with δ(L) = (a(L) − y) g'(z(L)) (the squared error's δ, see L6).
  Generator gen(52);
  LectureNetwork net({2, 3, 1}, gen, kFloat64, 1.0);
  const std::size_t n = 5;
  Tensor X(gen.normal({n, 2}, 0.0, 1.0, kFloat64));
  Tensor y(gen.uniform({n, 1}, 0.0, 1.0, kFloat64));
  Tensor J = mse(net.forward(X), y, Reduction::kMean, MseScale::kHalf);

  const ref::Thetas theta = ref::thetas_of(net);
  const std::vector<ref::Vec> xs = ref::rows_of(X.value()), ys = ref::rows_of(y.value());
  double hand = 0;
  ref::Thetas grad = theta;
  for (std::size_t l = 1; l < 3; ++l) std::fill(grad[l].v.begin(), grad[l].v.end(), 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const ref::Forward f = ref::forward_per_unit(theta, xs[i]);
    const double a = f.a[3][0], e = a - ys[i][0];
    hand += e * e / (2.0 * n);
    const double d3 = e * a * (1 - a);
    ref::Vec d2(3);
    for (std::size_t j = 0; j < 3; ++j)
      d2[j] = theta[2](0, j + 1) * d3 * f.a[2][j] * (1 - f.a[2][j]);
    const ref::Vec a1 = ref::with_bias(f.a[1]), a2 = ref::with_bias(f.a[2]);
    for (std::size_t j = 0; j < 4; ++j) grad[2](0, j) += d3 * a2[j] / n;
    for (std::size_t r = 0; r < 3; ++r) {
      for (std::size_t j = 0; j < 3; ++j) grad[1](r, j) += d2[r] * a1[j] / n;
    }
  }
  BOOST_TEST(std::abs(J.item() - hand) <= 1e-12);
  J.backward();
  BOOST_TEST(ref::max_diff(grad[1], net.theta(1).grad()) <= 1e-12);
  BOOST_TEST(ref::max_diff(grad[2], net.theta(2).grad()) <= 1e-12);
}

BOOST_AUTO_TEST_SUITE_END()
