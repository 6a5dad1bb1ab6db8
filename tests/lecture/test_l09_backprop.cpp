// L9: the backpropagation algorithm: per-instance loop, Δ accumulation,
// D = (1/n)Δ + λΘ for j ≠ 0 and (1/n)Δ for j = 0. The slides' cost has the
// penalty (λ/2n) ΣΘ², whose gradient is (λ/n)Θ, not the λΘ of their D
// (docs/lecture.md, L9). Checked, both pairings: autodiff of the (λ/2n)
// cost equals (1/n)Δ + (λ/n)Θ, autodiff of the (λ/2) cost equals the slide's
// D, and the two differ. xgrad's weight decay is the (λ/2) convention.
#include <boost/test/unit_test.hpp>

#include "framework/factory.h"
#include "models/lecture/reference_bridge.h"
#include "ops/arithmetic.h"
#include "ops/binary_cross_entropy.h"
#include "ops/linear.h"
#include "ops/sigmoid.h"

using namespace xgrad;
namespace ref = lecture_ref;

namespace {

struct Setup {
  Generator gen{91};
  std::size_t n = 6;
  double lambda = 0.5;
  LectureNetwork net{{3, 5, 4, 2}, gen, kFloat64, 1.0};
  Tensor X{gen.normal({6, 3}, 0.0, 1.0, kFloat64)};
  Tensor Y{gen.bernoulli({6, 2}, 0.5, kFloat64)};
  ref::Backprop hand;
  Setup() {
    hand = ref::backprop(ref::thetas_of(net), ref::rows_of(X.value()), ref::rows_of(Y.value()),
                         lambda);
  }
  // Autodiff's gradients of CE/n + penalty, one Array per Θ(l) (index l − 1).
  std::vector<Array> autodiff(L2Convention convention) {
    net.zero_grad();
    Tensor J = binary_cross_entropy(net.forward(X), Y, Reduction::kSum) / double(n) +
               net.penalty(lambda, double(n), convention);
    J.backward();
    std::vector<Array> g;
    for (std::size_t l = 1; l < net.layers(); ++l) g.push_back(net.theta(l).grad());
    return g;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(lecture_l09_backprop_tests)

BOOST_AUTO_TEST_CASE(lambda_over_2n_cost_pairs_with_lambda_over_n) {
  Setup s;
  std::vector<Array> g = s.autodiff(L2Convention::kLambdaOver2n);
  for (std::size_t l = 1; l <= 3; ++l) {
    BOOST_TEST_INFO("D(" << l << ")");
    BOOST_TEST(ref::max_diff(s.hand.D_lambda_over_n[l], g[l - 1]) <= 1e-12);
  }
}

BOOST_AUTO_TEST_CASE(lambda_over_2_cost_pairs_with_the_slides_D) {
  Setup s;
  std::vector<Array> g = s.autodiff(L2Convention::kLambdaOver2);
  for (std::size_t l = 1; l <= 3; ++l) {
    BOOST_TEST_INFO("D(" << l << ")");
    BOOST_TEST(ref::max_diff(s.hand.D_lambda[l], g[l - 1]) <= 1e-12);
  }
}

BOOST_AUTO_TEST_CASE(the_slides_pairing_does_not_hold) {
  // The gradient of the slides' own cost is not the slides' D (n > 1, λ > 0).
  Setup s;
  std::vector<Array> g = s.autodiff(L2Convention::kLambdaOver2n);
  double worst = 0;
  for (std::size_t l = 1; l <= 3; ++l)
    worst = std::max(worst, ref::max_diff(s.hand.D_lambda[l], g[l - 1]));
  BOOST_TEST(worst > 0.1);
  // Column 0 is unregularised in both: D(l)_i0 = Δ(l)_i0 / n.
  for (std::size_t l = 1; l <= 3; ++l) {
    for (std::size_t i = 0; i < s.hand.Delta[l].rows; ++i) {
      const double expected = s.hand.Delta[l](i, 0) / double(s.n);
      BOOST_TEST(std::abs(g[l - 1].at(i * s.hand.Delta[l].cols) - expected) <= 1e-12);
    }
  }
}

BOOST_AUTO_TEST_CASE(weight_decay_is_the_lambda_over_2_convention) {
  // l2_penalty over Linear layers (biases skipped) with (λ/2) gives the
  // slide's D; the lecture's (λ/2n) cost is (λ/2) with λ replaced by λ/n.
  Setup s;
  std::vector<std::shared_ptr<Linear>> layers = s.net.to_linear();
  std::vector<Parameter> params;
  Tensor h = s.X;
  for (const auto& layer : layers) {
    h = sigmoid(linear(h, layer->weight(), layer->bias()));
    for (const Parameter& p : layer->parameters()) params.push_back(p);
  }
  Tensor J = binary_cross_entropy(h, s.Y, Reduction::kSum) / double(s.n) +
             l2_penalty(params, s.lambda, 0.0, L2Convention::kLambdaOver2);
  J.backward();
  for (std::size_t l = 1; l <= 3; ++l) {
    Array D = theta_from_weight_bias(layers[l - 1]->weight().grad(), layers[l - 1]->bias().grad());
    BOOST_TEST(ref::max_diff(s.hand.D_lambda[l], D) <= 1e-12);
  }
  const double n = double(s.n);
  BOOST_TEST(std::abs(l2_penalty(params, s.lambda / n, 0.0, L2Convention::kLambdaOver2).item() -
                      l2_penalty(params, s.lambda, n, L2Convention::kLambdaOver2n).item()) <=
             1e-15);
}

BOOST_AUTO_TEST_SUITE_END()
