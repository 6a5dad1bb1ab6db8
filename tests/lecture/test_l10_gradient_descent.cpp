// L10: training with gradient descent Θ ← Θ − αD until convergence or max
// epochs, from a random initialisation, not 0. Checked: the update with
// autodiff's gradient follows the same trajectory as the slide's algorithm
// by hand; a 2-2-1 sigmoid network learns XOR (which L2's perceptron cannot)
// with J decreasing at every full-batch step; from Θ = 0 it cannot.
#include <boost/test/unit_test.hpp>

#include "framework/factory.h"
#include "models/lecture/reference_bridge.h"
#include "ops/arithmetic.h"
#include "ops/binary_cross_entropy.h"

using namespace xgrad;
namespace ref = lecture_ref;

namespace {

Tensor xor_inputs() { return tensor({{0.0, 0.0}, {0.0, 1.0}, {1.0, 0.0}, {1.0, 1.0}}, kFloat64); }
Tensor xor_labels() {  // (4, 1)
  Array y = Array::zeros({4, 1}, kFloat64);
  y.set(1, 1.0);
  y.set(2, 1.0);
  return Tensor(std::move(y));
}

// J = −(1/n) Σ [...], the cross-entropy cost without penalty.
Tensor cost(LectureNetwork& net, const Tensor& X, const Tensor& Y) {
  return binary_cross_entropy(net.forward(X), Y, Reduction::kSum) / double(X.shape()[0]);
}

// Full-batch GD with autodiff's gradient; returns J before each step.
std::vector<double> train(LectureNetwork& net, const Tensor& X, const Tensor& Y, double alpha,
                          std::size_t epochs) {
  std::vector<double> history;
  for (std::size_t e = 0; e < epochs; ++e) {
    Tensor J = cost(net, X, Y);
    history.push_back(J.item());
    J.backward();
    ref::gd_step(net.parameters(), alpha);
  }
  return history;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lecture_l10_gradient_descent_tests)

BOOST_AUTO_TEST_CASE(autodiff_steps_follow_the_slides_algorithm) {
  Generator gen(101);
  LectureNetwork net({2, 2, 1}, gen, kFloat64, 1.0);
  Tensor X = xor_inputs(), Y = xor_labels();
  ref::Thetas theta = ref::thetas_of(net);
  const std::vector<ref::Vec> xs = ref::rows_of(X.value()), ys = ref::rows_of(Y.value());
  const double alpha = 0.5;
  for (std::size_t e = 0; e < 200; ++e) {
    ref::gradient_step(theta, ref::backprop(theta, xs, ys, 0.0).D_lambda, alpha);
    train(net, X, Y, alpha, 1);
  }
  for (std::size_t l = 1; l <= 2; ++l) {
    BOOST_TEST(ref::max_diff(theta[l], net.theta(l).value()) <= 1e-10);
  }
}

BOOST_AUTO_TEST_CASE(a_2_2_1_network_learns_xor) {
  Generator gen(7);
  LectureNetwork net({2, 2, 1}, gen, kFloat64, 1.0);
  Tensor X = xor_inputs(), Y = xor_labels();
  std::vector<double> J = train(net, X, Y, 0.5, 5000);
  for (std::size_t e = 1; e < J.size(); ++e) {
    if (!(J[e] < J[e - 1])) BOOST_FAIL("J did not decrease at epoch " << e);
  }
  Tensor h = net.forward(X);
  BOOST_TEST_MESSAGE("L10: J " << J.front() << " -> " << J.back());
  for (std::size_t i = 0; i < 4; ++i) {
    BOOST_TEST_INFO("example " << i << ": h " << h.value().at(i));
    BOOST_TEST(std::abs(h.value().at(i) - Y.value().at(i)) < 0.2);
  }
}

BOOST_AUTO_TEST_CASE(zero_initialisation_cannot_learn_xor) {
  Generator gen(7);
  LectureNetwork net({2, 2, 1}, gen, kFloat64, 0.0);  // Θ = 0
  Tensor X = xor_inputs(), Y = xor_labels();
  train(net, X, Y, 0.5, 5000);
  Tensor h = net.forward(X);
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < 4; ++i) wrong += (h.value().at(i) > 0.5) != (Y.value().at(i) > 0.5);
  BOOST_TEST(wrong > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
