// Softmax cross-entropy from logits: values and gradients against the
// formula written out by hand, both target kinds, stability at ±1000,
// gradcheck, and the error messages.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "framework/parallel.h"
#include "ops/softmax_cross_entropy.h"
#include "tests/test_messages.h"

using namespace xgrad;

using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(ops_softmax_cross_entropy_tests)

BOOST_AUTO_TEST_CASE(known_values_and_gradient_with_class_indices) {
  Tensor z = tensor({{1.0, 2.0, 3.0}, {1.0, 1.0, 1.0}}, kFloat64).requires_grad_();
  Tensor t = tensor({2.0, 0.0}, kFloat64);
  const double e1 = std::exp(1.0), e2 = std::exp(2.0), e3 = std::exp(3.0), total = e1 + e2 + e3;
  const double l0 = -std::log(e3 / total), l1 = std::log(3.0);
  Tensor loss = softmax_cross_entropy(z, t);  // mean over the 2 rows
  BOOST_TEST(loss.item() == (l0 + l1) / 2, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(softmax_cross_entropy(z, t, Reduction::kSum).item() == l0 + l1,
             boost::test_tools::tolerance(1e-14));
  loss.backward();
  // (softmax − onehot) / N
  const double expected[] = {e1 / total / 2,    e2 / total / 2, (e3 / total - 1) / 2,
                             (1.0 / 3 - 1) / 2, 1.0 / 6,        1.0 / 6};
  for (std::size_t i = 0; i < 6; ++i) {
    BOOST_TEST(z.grad().at(i) == expected[i], boost::test_tools::tolerance(1e-13));
  }
}

BOOST_AUTO_TEST_CASE(one_hot_probabilities_equal_class_indices) {
  Generator gen(1);
  Tensor z(gen.normal({4, 3}, 0.0, 1.0, kFloat64));
  Tensor idx = tensor({0.0, 2.0, 1.0, 2.0}, kFloat64);
  Tensor onehot =
      tensor({{1.0, 0.0, 0.0}, {0.0, 0.0, 1.0}, {0.0, 1.0, 0.0}, {0.0, 0.0, 1.0}}, kFloat64);
  Tensor a = z.detach().requires_grad_(), b = z.detach().requires_grad_();
  Tensor la = softmax_cross_entropy(a, idx), lb = softmax_cross_entropy(b, onehot);
  BOOST_TEST(la.item() == lb.item(), boost::test_tools::tolerance(1e-15));
  la.backward();
  lb.backward();
  BOOST_TEST(max_abs_diff(a.grad(), b.grad()) <= 1e-16);
}

BOOST_AUTO_TEST_CASE(soft_targets_by_hand) {
  Tensor z = tensor({{0.5, -1.0}}, kFloat64);
  Tensor t = tensor({{0.3, 0.7}}, kFloat64);
  const double lse = std::log(std::exp(0.5) + std::exp(-1.0));
  const double hand = -(0.3 * (0.5 - lse) + 0.7 * (-1.0 - lse));
  BOOST_TEST(softmax_cross_entropy(z, t).item() == hand, boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(stable_at_1000) {
  for (DType dtype : {kFloat64, kFloat32}) {
    Tensor z = tensor({{1000.0, 0.0, -1000.0}, {-1000.0, 0.0, 1000.0}}, dtype).requires_grad_();
    Tensor loss = softmax_cross_entropy(z, tensor({0.0, 0.0}, dtype), Reduction::kSum);
    BOOST_TEST(loss.item() == 2000.0, boost::test_tools::tolerance(1e-6));
    loss.backward();
    const double expected[] = {0, 0, 0, -1, 0, 1};
    for (std::size_t i = 0; i < 6; ++i) {
      BOOST_TEST(z.grad().at(i) == expected[i], boost::test_tools::tolerance(1e-6));
    }
  }
}

BOOST_AUTO_TEST_CASE(gradcheck_both_target_kinds) {
  Generator gen(2);
  Tensor z(gen.normal({5, 4}, 0.0, 2.0, kFloat64));
  GradcheckOptions opts;
  opts.wrt = {0};
  auto f = [](const std::vector<Tensor>& x) { return softmax_cross_entropy(x[0], x[1]); };
  Tensor idx = tensor({3.0, 0.0, 1.0, 1.0, 2.0}, kFloat64);
  Tensor probs(gen.uniform({5, 4}, 0.0, 0.5, kFloat64));
  GradcheckResult r1 = gradcheck("softmax_cross_entropy", f, {z, idx}, opts);
  GradcheckResult r2 = gradcheck("softmax_cross_entropy", f, {z, probs}, opts);
  BOOST_TEST(r1.pass(), r1.message());
  BOOST_TEST(r2.pass(), r2.message());
}

BOOST_AUTO_TEST_CASE(probability_targets_get_pytorchs_gradient) {
  // As PyTorch: dL/dT = -log_softmax(z) (one row, mean over 1):
  // log_softmax(0.5, -0.5) = (0.5, -0.5) - log(e^0.5 + e^-0.5).
  Tensor z = tensor({{0.5, -0.5}}, kFloat64).requires_grad_();
  Tensor t = tensor({{0.2, 0.8}}, kFloat64).requires_grad_();
  softmax_cross_entropy(z, t).backward();
  BOOST_TEST(z.has_grad());
  const double lse = std::log(std::exp(0.5) + std::exp(-0.5));
  BOOST_TEST(t.grad().at(0) == -(0.5 - lse), boost::test_tools::tolerance(1e-14));
  BOOST_TEST(t.grad().at(1) == -(-0.5 - lse), boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(same_bits_for_one_and_two_threads) {
  Generator gen(4);
  Tensor z(gen.normal({20000, 10}, 0.0, 3.0, kFloat32));
  Array t = gen.uniform({20000}, 0.0, 10.0, kFloat32);
  for (std::size_t i = 0; i < t.size(); ++i) t.set(i, std::floor(t.at(i)));
  double one, two;
  {
    ThreadLimit limit(1);
    one = softmax_cross_entropy(z, Tensor(t)).item();
  }
  {
    ThreadLimit limit(2);
    two = softmax_cross_entropy(z, Tensor(t)).item();
  }
  BOOST_TEST(one == two);
}

BOOST_AUTO_TEST_CASE(errors) {
  Tensor z = zeros({2, 3}, kFloat64);
  BOOST_CHECK_EXCEPTION(
      softmax_cross_entropy(z, tensor({1.0, 0.0, 2.0}, kFloat64)), ShapeError,
      message_is("softmax_cross_entropy: target must be (N) class indices or (N, K) "
                 "probabilities: logits (2, 3), target (3)"));
  BOOST_CHECK_EXCEPTION(
      softmax_cross_entropy(zeros({6}, kFloat64), tensor({1.0}, kFloat64)), ShapeError,
      message_is("softmax_cross_entropy: logits must be 2-D (N, K) and non-empty: logits (6)"));
  BOOST_CHECK_EXCEPTION(
      softmax_cross_entropy(z, tensor({1.0, 3.0}, kFloat64)), ValueError,
      message_is("softmax_cross_entropy: target row 1 holds 3, a class index outside [0, K) "
                 "(K = 3)"));
  BOOST_CHECK_EXCEPTION(
      softmax_cross_entropy(z, tensor({1.5, 0.0}, kFloat64)), ValueError,
      message_is("softmax_cross_entropy: target row 0 holds 1.5, not an integral class index "
                 "(K = 3)"));
  BOOST_CHECK_EXCEPTION(
      softmax_cross_entropy(z, tensor({-1.0, 0.0}, kFloat64)), ValueError,
      message_is("softmax_cross_entropy: target row 0 holds -1, a class index outside [0, K) "
                 "(K = 3)"));
}

BOOST_AUTO_TEST_SUITE_END()
