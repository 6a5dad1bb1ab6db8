// L7: the hidden deltas δ(l) = (Θ(l))ᵀ δ(l+1) .* g'(z(l)), bias row dropped,
// g'(z) = a(1 − a); no δ(1). Checked: autodiff's gradient at every z(l) of
// the lecture's 4-layer network (times n) equals the per-instance hand deltas;
// the damaged slide's g'(z)^(−1) would not; the error sent to the inputs is
// Θ(1)ᵀδ(2) with no g' factor (no δ(1)).
#include <boost/test/unit_test.hpp>

#include "framework/factory.h"
#include "models/lecture/reference_bridge.h"
#include "ops/arithmetic.h"
#include "ops/binary_cross_entropy.h"

using namespace xgrad;
namespace ref = lecture_ref;

BOOST_AUTO_TEST_SUITE(lecture_l07_hidden_deltas_tests)

BOOST_AUTO_TEST_CASE(autodiff_at_every_z_equals_the_hand_deltas) {
  Generator gen(71);
  LectureNetwork net({3, 5, 4, 2}, gen, kFloat64, 1.0);
  const std::size_t n = 5, L = 4;
  const double lambda = 0.4;  // the penalty depends on Θ only: δ does not change
  Tensor X(gen.normal({n, 3}, 0.0, 1.0, kFloat64));
  Tensor Y(gen.bernoulli({n, 2}, 0.5, kFloat64));

  LectureActivations act = net.forward_layers(X);
  for (std::size_t l = 2; l <= L; ++l) act.z[l].retain_grad();
  Tensor J = binary_cross_entropy(act.output(), Y, Reduction::kSum) / double(n) +
             net.penalty(lambda, double(n), L2Convention::kLambdaOver2n);
  J.backward();

  const ref::Thetas theta = ref::thetas_of(net);
  const std::vector<ref::Vec> xs = ref::rows_of(X.value()), ys = ref::rows_of(Y.value());
  std::vector<std::vector<ref::Vec>> hand;  // per example, δ(l) for l = 2..L
  for (std::size_t i = 0; i < n; ++i) {
    hand.push_back(ref::deltas(theta, ref::forward_per_unit(theta, xs[i]), ys[i]));
  }
  for (std::size_t l = 2; l <= L; ++l) {
    BOOST_TEST_INFO("δ(" << l << ")");
    auto d = ref::layer_of(n, l, [&](std::size_t i) { return hand[i]; });
    BOOST_TEST(ref::max_diff_rows(d, act.z[l].grad(), double(n)) <= 1e-12);
  }
}

// "No δ(1)": the inputs are data, not the output of a unit, so the error
// sent back to them, Θ(1)ᵀδ(2) without its bias row, has no g'(z(1)) factor
// and updates no weight. Autodiff's ∂J/∂x (times n) is exactly that; a δ(1)
// formed like the hidden deltas, with g'(x) = x(1 − x), is not.
BOOST_AUTO_TEST_CASE(the_inputs_get_no_delta) {
  Generator gen(73);
  LectureNetwork net({3, 5, 4, 2}, gen, kFloat64, 1.0);
  const std::size_t n = 4;
  Tensor X = Tensor(gen.uniform({n, 3}, 0.1, 0.9, kFloat64)).requires_grad_();
  Tensor Y(gen.bernoulli({n, 2}, 0.5, kFloat64));
  binary_cross_entropy(net.forward(X), Y, Reduction::kSum).backward();

  const ref::Thetas theta = ref::thetas_of(net);
  const std::vector<ref::Vec> xs = ref::rows_of(X.value()), ys = ref::rows_of(Y.value());
  std::vector<ref::Vec> back(n), as_if_hidden(n);
  for (std::size_t i = 0; i < n; ++i) {
    const ref::Vec d2 = ref::deltas(theta, ref::forward_per_unit(theta, xs[i]), ys[i])[2];
    for (std::size_t j = 1; j < theta[1].cols; ++j) {  // the bias row j = 0 is dropped
      double sum = 0;
      for (std::size_t r = 0; r < theta[1].rows; ++r) sum += theta[1](r, j) * d2[r];
      const double x = xs[i][j - 1];
      back[i].push_back(sum);
      as_if_hidden[i].push_back(sum * x * (1 - x));
    }
  }
  BOOST_TEST(ref::max_diff_rows(back, X.grad()) <= 1e-12);
  BOOST_TEST(ref::max_diff_rows(as_if_hidden, X.grad()) > 1e-3);
}

BOOST_AUTO_TEST_CASE(the_damaged_inverse_factor_does_not_match) {
  // The extraction's "∂a/∂z = g'(z)^(−1)": dividing by a(1 − a) instead of
  // multiplying gives different deltas, which autodiff rules out.
  Generator gen(72);
  LectureNetwork net({3, 5, 4, 2}, gen, kFloat64, 1.0);
  Tensor X(gen.normal({1, 3}, 0.0, 1.0, kFloat64)), Y(gen.bernoulli({1, 2}, 0.5, kFloat64));
  LectureActivations act = net.forward_layers(X);
  act.z[3].retain_grad();
  binary_cross_entropy(act.output(), Y, Reduction::kSum).backward();

  const ref::Thetas theta = ref::thetas_of(net);
  const ref::Forward f = ref::forward_per_unit(theta, ref::rows_of(X.value())[0]);
  const ref::Vec d4 = ref::deltas(theta, f, ref::rows_of(Y.value())[0])[4];
  ref::Vec inverse(4);
  for (std::size_t j = 0; j < 4; ++j) {
    double back = 0;
    for (std::size_t i = 0; i < 2; ++i) back += theta[3](i, j + 1) * d4[i];
    inverse[j] = back / (f.a[3][j] * (1 - f.a[3][j]));
  }
  BOOST_TEST(ref::max_diff_rows({inverse}, act.z[3].grad()) > 1e-2);
}

BOOST_AUTO_TEST_SUITE_END()
