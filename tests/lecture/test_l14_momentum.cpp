// L14: momentum, δθ(t+1) = −α ∂J/∂θ + β δθ(t), θ ← θ + δθ(t+1).
// The SGD optimiser (models/optim/sgd.h) reproduces the recurrence step by step
// against a hand loop, and on an ill-conditioned quadratic ("ravine")
// J = ½(θ1² + 100 θ2²) it reaches a tolerance in fewer steps than plain
// gradient descent at the same α; both step counts are also found by hand
// loops of the lecture's formulas.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <vector>

#include "framework/factory.h"
#include "models/optim/sgd.h"
#include "ops/arithmetic.h"

using namespace xgrad;

namespace {
// Elementwise J_i = ½ c_i θ_i²; backward with ones gives ∂(Σ J_i)/∂θ = c θ.
void quadratic_backward(const Tensor& theta, const Tensor& c) {
  Tensor j = theta * theta * c * 0.5;
  j.backward(Array::full(j.shape(), 1.0, kFloat64));
}

std::vector<Parameter> as_params(const Tensor& theta) {
  return {{"theta", theta, ParamRole::kWeight}};
}

// Steps of the framework's SGD until ‖θ‖∞ < tol on the ravine.
std::size_t framework_steps(double alpha, double beta, double tol) {
  Tensor theta = tensor({1.0, 1.0}, kFloat64).requires_grad_();
  Tensor c = tensor({1.0, 100.0}, kFloat64);
  Sgd opt(as_params(theta), {alpha, beta});
  for (std::size_t t = 0; t < 100000; ++t) {
    if (std::abs(theta.value().at(0)) < tol && std::abs(theta.value().at(1)) < tol) return t;
    opt.zero_grad();
    quadratic_backward(theta, c);
    opt.step();
  }
  return 100000;
}

// The same by hand: the lecture's recurrence on plain doubles.
std::size_t hand_steps(double alpha, double beta, double tol) {
  double theta[2] = {1.0, 1.0}, delta[2] = {0.0, 0.0};
  const double c[2] = {1.0, 100.0};
  for (std::size_t t = 0; t < 100000; ++t) {
    if (std::abs(theta[0]) < tol && std::abs(theta[1]) < tol) return t;
    for (int i = 0; i < 2; ++i) {
      const double grad = c[i] * theta[i];
      delta[i] = -alpha * grad + beta * delta[i];
      theta[i] += delta[i];
    }
  }
  return 100000;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(lecture_l14_momentum_tests)

BOOST_AUTO_TEST_CASE(L14_reproduces_the_recurrence) {
  const double alpha = 0.1, beta = 0.8;
  const std::vector<double> c = {0.5, 2.0, 7.0}, start = {1.0, -2.0, 0.3};
  Tensor theta = tensor({1.0, -2.0, 0.3}, kFloat64).requires_grad_();
  Tensor ct = tensor({0.5, 2.0, 7.0}, kFloat64);
  Sgd opt(as_params(theta), {alpha, beta});
  std::vector<double> th = start, delta(3, 0.0);
  for (int t = 0; t < 6; ++t) {
    opt.zero_grad();
    quadratic_backward(theta, ct);
    opt.step();
    for (int i = 0; i < 3; ++i) {
      const double grad = c[i] * th[i];            // ∂J/∂θ
      delta[i] = -alpha * grad + beta * delta[i];  // δθ(t+1) = −α ∂J/∂θ + β δθ(t)
      th[i] += delta[i];                           // θ ← θ + δθ(t+1)
      BOOST_TEST(std::abs(theta.value().at(i) - th[i]) < 1e-12, "step " << t << " element " << i);
    }
  }
  // The optimiser's velocity is the lecture's δθ.
  NamedArrays state = opt.state_dict();
  BOOST_TEST(state[1].first == "theta.velocity");
  for (int i = 0; i < 3; ++i) BOOST_TEST(std::abs(state[1].second.at(i) - delta[i]) < 1e-12);
}

BOOST_AUTO_TEST_CASE(L14_momentum_needs_fewer_steps_in_a_ravine) {
  // α near GD's stability limit 2/100: θ2 zig-zags (factor 1 − 100α = −0.8)
  // while θ1 crawls (factor 1 − α = 0.982).
  const double alpha = 0.018, tol = 1e-6;
  const std::size_t gd = framework_steps(alpha, 0.0, tol);
  const std::size_t momentum = framework_steps(alpha, 0.9, tol);
  BOOST_TEST(gd == hand_steps(alpha, 0.0, tol));
  BOOST_TEST(momentum == hand_steps(alpha, 0.9, tol));
  BOOST_TEST(gd < 100000u);
  BOOST_TEST(momentum < gd / 2, "momentum " << momentum << " steps, GD " << gd);
  BOOST_TEST_MESSAGE("ravine: GD " << gd << " steps, momentum " << momentum << " steps");
}

BOOST_AUTO_TEST_SUITE_END()
