// L13: "While training, at each stage, with probability p remove a node and
// all its connections; while testing, use all nodes."
// Shown with the framework's dropout (ops/dropout.h, models/layers/dropout.h)
// against hand computations in plain loops: the empirical drop rate is
// within a binomial bound; a dropped unit passes no gradient, and a network
// with dropped hidden units equals, value and gradients, the thinned
// network with those units and all their connections deleted; eval mode is
// the identity; inverted dropout's 1/(1 − p) keeps the expected activation.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <memory>
#include <vector>

#include "framework/factory.h"
#include "models/layers/dropout.h"
#include "models/layers/linear.h"
#include "ops/dropout.h"
#include "ops/linear.h"
#include "ops/sigmoid.h"

using namespace xgrad;

BOOST_AUTO_TEST_SUITE(lecture_l13_dropout_tests)

// Dropped count ~ Binomial(n, p): mean np, sd √(np(1 − p)). The seed is
// fixed, so the check is deterministic; 5 sd is the bound a correct
// sampler misses with probability < 1e-6 over seeds.
BOOST_AUTO_TEST_CASE(L13_drop_rate_within_binomial_bound) {
  const std::size_t n = 200000;
  for (double p : {0.1, 0.5, 0.8}) {
    Generator gen(13);
    Tensor y = dropout(ones({n}, kFloat64), p, true, gen);
    std::size_t dropped = 0;
    for (std::size_t i = 0; i < n; ++i) dropped += y.value().at(i) == 0.0;
    const double mean = n * p, sd = std::sqrt(n * p * (1 - p));
    BOOST_TEST(std::abs(double(dropped) - mean) <= 5 * sd, "p " << p << ": dropped " << dropped);
  }
}

BOOST_AUTO_TEST_CASE(L13_dropped_units_pass_no_gradient) {
  Generator data(1);
  Tensor a = Tensor(data.normal({4, 6}, 0, 1, kFloat64), true);
  Dropout layer(0.5, 77);
  Tensor h = layer(a);
  Array u = data.normal({4, 6}, 0, 1, kFloat64);
  h.backward(u);
  std::size_t dropped = 0;
  for (std::size_t i = 0; i < 24; ++i) {
    const bool is_dropped = Generator::uniform01(77, i) < 0.5;  // the mask, by hand
    dropped += is_dropped;
    BOOST_TEST(h.value().at(i) == (is_dropped ? 0.0 : 2.0 * a.value().at(i)));
    BOOST_TEST(a.grad().at(i) == (is_dropped ? 0.0 : 2.0 * u.at(i)));
  }
  BOOST_TEST(dropped > 0u);
  BOOST_TEST(dropped < 24u);
}

// A 3-5-2 sigmoid network with dropout on the hidden layer equals, for one
// example, the thinned network built by hand with the dropped hidden units
// and all their connections (rows of Θ(1), columns of Θ(2)) deleted, the
// survivors scaled by 1/(1 − p). The deleted connections get zero gradient.
BOOST_AUTO_TEST_CASE(L13_removes_units_with_all_their_connections) {
  const std::size_t in = 3, hidden = 5, out = 2;
  const double p = 0.4;
  Generator gen(3);
  Tensor x = Tensor(gen.normal({1, in}, 0, 1, kFloat64));
  Tensor w1 = Tensor(gen.normal({hidden, in}, 0, 1, kFloat64), true);
  Tensor b1 = Tensor(gen.normal({hidden}, 0, 1, kFloat64), true);
  Tensor w2 = Tensor(gen.normal({out, hidden}, 0, 1, kFloat64), true);
  Tensor b2 = Tensor(gen.normal({out}, 0, 1, kFloat64), true);
  const std::uint64_t seed = 5;  // a mask that drops 3 of the 5 hidden units
  Generator mask_gen(seed);
  Tensor a2 = sigmoid(linear(x, w1, b1));
  Tensor z3 = linear(dropout(a2, p, true, mask_gen), w2, b2);
  Array u = gen.normal({1, out}, 0, 1, kFloat64);
  z3.backward(u);

  std::vector<std::size_t> kept;
  for (std::size_t j = 0; j < hidden; ++j) {
    if (!(Generator::uniform01(seed, j) < p)) kept.push_back(j);
  }
  BOOST_TEST_REQUIRE(kept.size() > 0u);
  BOOST_TEST_REQUIRE(kept.size() < hidden);

  // The thinned network by hand: only kept units exist.
  auto W1 = [&](std::size_t i, std::size_t j) { return w1.value().at(i * in + j); };
  auto W2 = [&](std::size_t i, std::size_t j) { return w2.value().at(i * hidden + j); };
  std::vector<double> a(hidden, 0.0);
  for (std::size_t j : kept) {
    double z = b1.value().at(j);
    for (std::size_t k = 0; k < in; ++k) z += W1(j, k) * x.value().at(k);
    a[j] = 1 / (1 + std::exp(-z));
  }
  for (std::size_t i = 0; i < out; ++i) {
    double z = b2.value().at(i);
    for (std::size_t j : kept) z += W2(i, j) * a[j] / (1 - p);
    BOOST_TEST(std::abs(z3.value().at(i) - z) < 1e-12);
  }
  // Gradients by hand: dJ/dW2(i,j) = u_i a_j/(1-p) for kept j, 0 for removed
  // connections; dJ/dW1(j,k) = Σ_i u_i W2(i,j)/(1-p) · a_j(1-a_j) · x_k for kept j.
  for (std::size_t j = 0; j < hidden; ++j) {
    const bool is_kept = std::find(kept.begin(), kept.end(), j) != kept.end();
    double delta = 0;
    for (std::size_t i = 0; i < out; ++i) {
      const double g2 = is_kept ? u.at(i) * a[j] / (1 - p) : 0.0;
      BOOST_TEST(std::abs(w2.grad().at(i * hidden + j) - g2) < 1e-12);
      if (is_kept) delta += u.at(i) * W2(i, j) / (1 - p);
    }
    delta *= a[j] * (1 - a[j]);
    BOOST_TEST(std::abs(b1.grad().at(j) - delta) < 1e-12);
    for (std::size_t k = 0; k < in; ++k) {
      const double g1 = delta * x.value().at(k);
      BOOST_TEST(std::abs(w1.grad().at(j * in + k) - g1) < 1e-12);
      if (!is_kept) BOOST_TEST(w1.grad().at(j * in + k) == 0.0);
    }
  }
}

BOOST_AUTO_TEST_CASE(L13_testing_uses_all_units) {
  Generator data(2);
  Tensor x = Tensor(data.normal({8, 10}, 0, 1, kFloat64));
  Dropout layer(0.5, 1);
  layer.eval();
  Tensor y = layer(x);
  BOOST_TEST(max_abs_diff(y.value(), x.value()) == 0.0);
  BOOST_TEST(layer.generator().offset() == 0u);  // no mask drawn in eval
  layer.train();
  BOOST_TEST(max_abs_diff(layer(x).value(), x.value()) > 0.0);
}

// E[m/(1 − p)] = 1, so the mean activation over many draws is the input
// (within 5 binomial sd of the mean); without the 1/(1 − p) scaling it
// would be (1 − p)·x, and testing would see larger activations than
// training.
BOOST_AUTO_TEST_CASE(L13_inverted_scaling_keeps_the_expected_activation) {
  const std::size_t n = 200000;
  const double x = 1.7;
  for (double p : {0.2, 0.5}) {
    Generator gen(21);
    Tensor y = dropout(full({n}, x, kFloat64), p, true, gen);
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += y.value().at(i);
    const double mean = sum / n;
    const double sd_of_mean = x / (1 - p) * std::sqrt(p * (1 - p) / n);
    BOOST_TEST(std::abs(mean - x) <= 5 * sd_of_mean, "p " << p << ": mean " << mean);
    const double unscaled = mean * (1 - p);  // what plain (non-inverted) dropout gives
    BOOST_TEST(std::abs(unscaled - (1 - p) * x) <= 5 * sd_of_mean * (1 - p));
    BOOST_TEST(std::abs(unscaled - x) > 10 * sd_of_mean);
  }
}

BOOST_AUTO_TEST_SUITE_END()
