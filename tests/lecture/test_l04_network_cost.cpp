// L4: the network's cross-entropy cost over K sigmoid outputs with the
// penalty (λ/2n) over all non-bias weights of every layer. Checked: the value
// equals the slide's double sum written out by hand, through LectureNetwork
// and through ordinary Linear layers (whose biases the penalty skips).
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/factory.h"
#include "models/lecture/reference_bridge.h"
#include "ops/arithmetic.h"
#include "ops/binary_cross_entropy.h"
#include "ops/linear.h"
#include "ops/sigmoid.h"

using namespace xgrad;
namespace ref = lecture_ref;

BOOST_AUTO_TEST_SUITE(lecture_l04_network_cost_tests)

BOOST_AUTO_TEST_CASE(value_equals_the_double_sum) {
  Generator gen(41);
  LectureNetwork net({3, 5, 4, 2}, gen, kFloat64, 0.8);
  const std::size_t n = 6;
  const double lambda = 0.3;
  Tensor X(gen.normal({n, 3}, 0.0, 1.0, kFloat64));
  Tensor Y(gen.bernoulli({n, 2}, 0.5, kFloat64));

  // By hand: −(1/n) Σ_i Σ_k [...] + (λ/2n) Σ_l Σ_i Σ_j (Θ_ji(l))², j, i ≥ 1.
  const ref::Thetas theta = ref::thetas_of(net);
  const std::vector<ref::Vec> xs = ref::rows_of(X.value()), ys = ref::rows_of(Y.value());
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const ref::Vec h = ref::forward_per_unit(theta, xs[i]).a.back();
    for (std::size_t k = 0; k < 2; ++k) {
      sum += ys[i][k] * std::log(h[k]) + (1 - ys[i][k]) * std::log(1 - h[k]);
    }
  }
  double squares = 0;
  for (std::size_t l = 1; l <= 3; ++l) {
    for (std::size_t i = 1; i <= net.sizes()[l - 1]; ++i) {  // i: unit of layer l (column i)
      for (std::size_t j = 1; j <= net.sizes()[l]; ++j) {    // j: unit of layer l+1 (row j)
        squares += theta[l](j - 1, i) * theta[l](j - 1, i);
      }
    }
  }
  const double hand = -sum / n + lambda / (2.0 * n) * squares;
  BOOST_TEST(std::abs(hand - (ref::cross_entropy_cost(theta, xs, ys) +
                              lambda / (2.0 * n) * ref::penalty_sum(theta))) <= 1e-13);

  // LectureNetwork: the sum over the K outputs (kSum), divided by n.
  Tensor J = binary_cross_entropy(net.forward(X), Y, Reduction::kSum) / double(n) +
             net.penalty(lambda, double(n), L2Convention::kLambdaOver2n);
  BOOST_TEST(std::abs(J.item() - hand) <= 1e-12);

  // Linear layers: the default penalty skips their biases, i.e. Θ's column 0.
  std::vector<std::shared_ptr<Linear>> layers = net.to_linear();
  std::vector<Parameter> params;
  Tensor h = X;
  for (const auto& layer : layers) {
    h = sigmoid(linear(h, layer->weight(), layer->bias()));
    for (const Parameter& p : layer->parameters()) params.push_back(p);
  }
  Tensor J2 = binary_cross_entropy(h, Y, Reduction::kSum) / double(n) +
              l2_penalty(params, lambda, double(n), L2Convention::kLambdaOver2n);
  BOOST_TEST(std::abs(J2.item() - hand) <= 1e-12);
}

BOOST_AUTO_TEST_CASE(the_bias_column_is_not_penalised) {
  // Θ with zeros everywhere but column 0: no penalty at all.
  LectureNetwork net({tensor({{3.0, 0.0}, {-2.0, 0.0}}, kFloat64).value()});
  BOOST_TEST(net.penalty(1.0, 1.0, L2Convention::kLambdaOver2n).item() == 0.0);
  LectureNetwork net2({tensor({{3.0, 0.5}, {-2.0, -1.5}}, kFloat64).value()});
  BOOST_TEST(net2.penalty(2.0, 4.0, L2Convention::kLambdaOver2n).item() ==
             2.0 / 8.0 * (0.25 + 2.25));
}

BOOST_AUTO_TEST_SUITE_END()
