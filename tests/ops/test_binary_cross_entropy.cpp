// Binary cross-entropy on probabilities and on logits: values and gradients
// against the formula written out by hand, gradcheck, stability at |z| =
// 1000, the clamp at p = 0 and 1, and the error messages.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "framework/parallel.h"
#include "ops/binary_cross_entropy.h"
#include "tests/test_messages.h"

using namespace xgrad;

namespace {
using xgrad::testing::message_is;
double sig(double z) { return 1.0 / (1.0 + std::exp(-z)); }
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_binary_cross_entropy_tests)

BOOST_AUTO_TEST_CASE(known_values_and_gradient_on_probabilities) {
  Tensor p = tensor({0.2, 0.9, 0.6}, kFloat64).requires_grad_();
  Tensor y = tensor({0.0, 1.0, 0.25}, kFloat64);
  const double l0 = -std::log(0.8), l1 = -std::log(0.9);
  const double l2 = -(0.25 * std::log(0.6) + 0.75 * std::log(0.4));
  Tensor mean = binary_cross_entropy(p, y, Reduction::kMean);
  BOOST_TEST(mean.item() == (l0 + l1 + l2) / 3, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(binary_cross_entropy(p, y, Reduction::kSum).item() == l0 + l1 + l2,
             boost::test_tools::tolerance(1e-14));
  mean.backward();
  // dp = (p − y) / (p (1 − p)) / m
  const double expected[] = {0.2 / 0.16 / 3, -0.1 / 0.09 / 3, 0.35 / 0.24 / 3};
  for (std::size_t i = 0; i < 3; ++i) {
    BOOST_TEST(p.grad().at(i) == expected[i], boost::test_tools::tolerance(1e-13));
  }
}

BOOST_AUTO_TEST_CASE(clamped_at_zero_and_one) {
  Tensor p = tensor({0.0, 1.0}, kFloat64).requires_grad_();
  Tensor y = tensor({1.0, 0.0}, kFloat64);
  Tensor loss = binary_cross_entropy(p, y, Reduction::kSum);
  BOOST_TEST(loss.item() == 200.0);  // each log clamped at −100
  loss.backward();
  BOOST_TEST(std::isfinite(p.grad().at(0)));
  BOOST_TEST(std::isfinite(p.grad().at(1)));
  // And a confident right answer costs nothing.
  BOOST_TEST(binary_cross_entropy(p, tensor({0.0, 1.0}, kFloat64)).item() == 0.0);
}

BOOST_AUTO_TEST_CASE(with_logits_known_values_and_stable_at_1000) {
  for (DType dtype : {kFloat64, kFloat32}) {
    Tensor z = tensor({1000.0, -1000.0, 0.0, 2.0, 1000.0, -1000.0}, dtype).requires_grad_();
    Tensor y = tensor({1.0, 0.0, 1.0, 0.0, 0.0, 1.0}, dtype);
    Tensor loss = binary_cross_entropy_with_logits(z, y, Reduction::kSum);
    const double expected = std::log(2.0) + 2.0 + std::log1p(std::exp(-2.0)) + 2000.0;
    BOOST_TEST(loss.item() == expected, boost::test_tools::tolerance(1e-6));
    loss.backward();
    const double grad[] = {0, 0, -0.5, sig(2.0), 1, -1};  // g(z) − y
    for (std::size_t i = 0; i < 6; ++i) {
      BOOST_TEST(z.grad().at(i) == grad[i], boost::test_tools::tolerance(1e-6));
    }
  }
}

BOOST_AUTO_TEST_CASE(with_logits_equals_bce_of_sigmoid) {
  Tensor z = tensor({{-3.0, 0.5}, {1.5, 4.0}}, kFloat64);
  Tensor y = tensor({{0.0, 1.0}, {1.0, 0.3}}, kFloat64);
  double hand = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const double p = sig(z.value().at(i)), t = y.value().at(i);
    hand -= t * std::log(p) + (1 - t) * std::log(1 - p);
  }
  BOOST_TEST(binary_cross_entropy_with_logits(z, y).item() == hand / 4,
             boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(gradcheck_both_forms) {
  Generator gen(3);
  Tensor p(gen.uniform({3, 4}, 0.05, 0.95, kFloat64));
  Tensor z(gen.normal({3, 4}, 0.0, 2.0, kFloat64));
  Tensor y(gen.bernoulli({3, 4}, 0.5, kFloat64));
  GradcheckOptions opts;
  opts.wrt = {0};
  auto bce = [](const std::vector<Tensor>& x) { return binary_cross_entropy(x[0], x[1]); };
  auto logits = [](const std::vector<Tensor>& x) {
    return binary_cross_entropy_with_logits(x[0], x[1], Reduction::kSum);
  };
  GradcheckResult r1 = gradcheck("binary_cross_entropy", bce, {p, y}, opts);
  GradcheckResult r2 = gradcheck("binary_cross_entropy_with_logits", logits, {z, y}, opts);
  BOOST_TEST(r1.pass(), r1.message());
  BOOST_TEST(r2.pass(), r2.message());
}

BOOST_AUTO_TEST_CASE(targets_get_pytorchs_gradients) {
  // With logits, as PyTorch: dL/dy = -z / n (mean over n = 2); from
  // probabilities the target gets none (PyTorch does not implement it).
  Tensor z = tensor({0.5, -0.25}, kFloat64).requires_grad_();
  Tensor y = tensor({1.0, 0.0}, kFloat64).requires_grad_();
  binary_cross_entropy_with_logits(z, y).backward();
  BOOST_TEST(z.has_grad());
  BOOST_TEST(y.grad().at(0) == -0.25, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(y.grad().at(1) == 0.125, boost::test_tools::tolerance(1e-15));
  Tensor p = tensor({0.5, 0.25}, kFloat64).requires_grad_();
  Tensor t = tensor({1.0, 0.0}, kFloat64).requires_grad_();
  binary_cross_entropy(p, t).backward();
  BOOST_TEST(p.has_grad());
  BOOST_TEST(!t.has_grad());
}

BOOST_AUTO_TEST_CASE(same_bits_for_one_and_two_threads) {
  Generator gen(5);
  Tensor z(gen.normal({300000}, 0.0, 3.0, kFloat32));
  Tensor y(gen.bernoulli({300000}, 0.5, kFloat32));
  double one, two;
  {
    ThreadLimit limit(1);
    one = binary_cross_entropy_with_logits(z, y).item();
  }
  {
    ThreadLimit limit(2);
    two = binary_cross_entropy_with_logits(z, y).item();
  }
  BOOST_TEST(one == two);
}

BOOST_AUTO_TEST_CASE(errors) {
  Tensor p = tensor({{0.5, 0.5, 0.5}, {0.5, 0.5, 0.5}}, kFloat64);
  BOOST_CHECK_EXCEPTION(
      binary_cross_entropy(p, tensor({1.0, 0.0, 1.0}, kFloat64)), ShapeError,
      message_is("binary_cross_entropy: input and target shapes must match: input (2, 3), "
                 "target (3)"));
  BOOST_CHECK_EXCEPTION(
      binary_cross_entropy_with_logits(p, tensor({1.0, 0.0}, kFloat64)), ShapeError,
      message_is("binary_cross_entropy_with_logits: logits and target shapes must match: "
                 "logits (2, 3), target (2)"));
  BOOST_CHECK_EXCEPTION(
      binary_cross_entropy(tensor({0.5, 1.5}, kFloat64), tensor({1.0, 0.0}, kFloat64)), ValueError,
      message_is(
          "binary_cross_entropy: input must hold probabilities in [0, 1]: element 1 is 1.5"));
  BOOST_CHECK_THROW(binary_cross_entropy(p, zeros({2, 3}, kFloat32)), DTypeError);
}

BOOST_AUTO_TEST_SUITE_END()
