// L3: the logistic-regression cost with the L2 penalty (λ/2n) Σ_{j≥1} θ_j²
// (θ0 not penalised). Checked: the value equals the slide's formula written
// out by hand, and autodiff's gradient equals (1/n) Xᵀ(h − y) + (λ/n)θ with
// the θ0 entry unpenalised.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/factory.h"
#include "models/penalty.h"
#include "ops/arithmetic.h"
#include "ops/binary_cross_entropy.h"
#include "ops/linear.h"
#include "ops/sigmoid.h"

using namespace xgrad;

namespace {

struct Problem {
  std::size_t n = 7, d = 3;
  double lambda = 0.7;
  Tensor X, y, w, b;  // θ = (θ0 = b, θ1..θd = w)
};

Problem make_problem() {
  Problem p;
  Generator gen(31);
  p.X = Tensor(gen.normal({p.n, p.d}, 0.0, 1.5, kFloat64));
  p.y = Tensor(gen.bernoulli({p.n, 1}, 0.5, kFloat64));
  p.w = Tensor(gen.normal({1, p.d}, 0.0, 1.0, kFloat64), true);
  p.b = Tensor(gen.normal({1}, 0.0, 1.0, kFloat64), true);
  return p;
}

std::vector<Parameter> params(const Problem& p) {
  return {{"weight", p.w, ParamRole::kWeight}, {"bias", p.b, ParamRole::kBias}};
}

// The slide's formula, by hand: h_i, J and ∇J.
struct Hand {
  std::vector<double> h, grad;  // grad[0] for θ0
  double J = 0;
};

Hand by_hand(const Problem& p, bool penalise_theta0 = false) {
  Hand r;
  const double n = double(p.n);
  std::vector<double> theta{p.b.value().at(0)};
  for (std::size_t j = 0; j < p.d; ++j) theta.push_back(p.w.value().at(j));
  r.grad.assign(p.d + 1, 0.0);
  double data = 0, reg = 0;
  for (std::size_t i = 0; i < p.n; ++i) {
    double z = theta[0];
    for (std::size_t j = 0; j < p.d; ++j) z += theta[j + 1] * p.X.value().at(i * p.d + j);
    const double h = 1 / (1 + std::exp(-z)), y = p.y.value().at(i);
    r.h.push_back(h);
    data += y * std::log(h) + (1 - y) * std::log(1 - h);
    r.grad[0] += (h - y) / n;  // x0 = 1
    for (std::size_t j = 0; j < p.d; ++j)
      r.grad[j + 1] += (h - y) * p.X.value().at(i * p.d + j) / n;
  }
  for (std::size_t j = penalise_theta0 ? 0 : 1; j <= p.d; ++j) {
    reg += theta[j] * theta[j];
    r.grad[j] += p.lambda / n * theta[j];
  }
  r.J = -data / n + p.lambda / (2 * n) * reg;
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lecture_l03_logistic_cost_tests)

BOOST_AUTO_TEST_CASE(value_and_gradient_equal_the_formula) {
  Problem p = make_problem();
  const Hand hand = by_hand(p);
  Tensor h = sigmoid(linear(p.X, p.w, p.b));
  Tensor J = binary_cross_entropy(h, p.y, Reduction::kMean) +
             l2_penalty(params(p), p.lambda, double(p.n), L2Convention::kLambdaOver2n);
  BOOST_TEST(std::abs(J.item() - hand.J) <= 1e-12);
  J.backward();
  BOOST_TEST(std::abs(p.b.grad().at(0) - hand.grad[0]) <= 1e-12);  // θ0: (1/n) Σ (h − y)
  for (std::size_t j = 0; j < p.d; ++j) {
    BOOST_TEST(std::abs(p.w.grad().at(j) - hand.grad[j + 1]) <= 1e-12);
  }
}

BOOST_AUTO_TEST_CASE(the_same_with_logits) {
  Problem p = make_problem();
  const Hand hand = by_hand(p);
  Tensor J = binary_cross_entropy_with_logits(linear(p.X, p.w, p.b), p.y) +
             l2_penalty(params(p), p.lambda, double(p.n), L2Convention::kLambdaOver2n);
  BOOST_TEST(std::abs(J.item() - hand.J) <= 1e-12);
  J.backward();
  BOOST_TEST(std::abs(p.b.grad().at(0) - hand.grad[0]) <= 1e-12);
  for (std::size_t j = 0; j < p.d; ++j) {
    BOOST_TEST(std::abs(p.w.grad().at(j) - hand.grad[j + 1]) <= 1e-12);
  }
}

BOOST_AUTO_TEST_CASE(theta0_is_not_penalised) {
  // Penalising the bias as well changes θ0's gradient by (λ/n) θ0: the
  // default leaves it out, as the slide's Σ over j ≥ 1 does.
  Problem p = make_problem();
  const Hand skip = by_hand(p), with = by_hand(p, true);
  Tensor J = binary_cross_entropy(sigmoid(linear(p.X, p.w, p.b)), p.y) +
             l2_penalty(params(p), p.lambda, double(p.n), L2Convention::kLambdaOver2n, true);
  J.backward();
  BOOST_TEST(std::abs(p.b.grad().at(0) - with.grad[0]) <= 1e-12);
  BOOST_TEST(std::abs(with.grad[0] - skip.grad[0]) > 1e-3);
}

BOOST_AUTO_TEST_SUITE_END()
