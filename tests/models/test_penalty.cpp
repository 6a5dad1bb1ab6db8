// The L2 penalty: both conventions by hand, biases skipped by default,
// gradients (λ/n)θ and λθ, and the error messages.
#include <boost/test/unit_test.hpp>
#include <string>

#include "framework/factory.h"
#include "models/layers/linear.h"
#include "models/penalty.h"
#include "tests/test_messages.h"

using namespace xgrad;

namespace {
using xgrad::testing::message_is;

std::vector<Parameter> sample_params() {
  return {{"w", tensor({{1.0, -2.0}, {0.5, 3.0}}, kFloat64).requires_grad_(), ParamRole::kWeight},
          {"b", tensor({4.0, -1.0}, kFloat64).requires_grad_(), ParamRole::kBias}};
}
}  // namespace

BOOST_AUTO_TEST_SUITE(models_penalty_tests)

BOOST_AUTO_TEST_CASE(both_conventions_by_hand) {
  std::vector<Parameter> p = sample_params();
  const double w2 = 1.0 + 4.0 + 0.25 + 9.0, b2 = 16.0 + 1.0;
  BOOST_TEST(l2_penalty(p, 0.6, 3.0, L2Convention::kLambdaOver2n).item() == 0.6 / 6.0 * w2,
             boost::test_tools::tolerance(1e-15));
  BOOST_TEST(l2_penalty(p, 0.6, 3.0, L2Convention::kLambdaOver2).item() == 0.3 * w2,
             boost::test_tools::tolerance(1e-15));
  BOOST_TEST(l2_penalty(p, 0.6, 3.0, L2Convention::kLambdaOver2, true).item() == 0.3 * (w2 + b2),
             boost::test_tools::tolerance(1e-15));
  BOOST_TEST(l2_coefficient(0.6, 3.0, L2Convention::kLambdaOver2n) == 0.1,
             boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(gradients) {
  std::vector<Parameter> p = sample_params();
  l2_penalty(p, 0.6, 3.0, L2Convention::kLambdaOver2n).backward();
  for (std::size_t k = 0; k < 4; ++k) {
    BOOST_TEST(p[0].tensor.grad().at(k) == 0.2 * p[0].tensor.value().at(k),
               boost::test_tools::tolerance(1e-15));  // (λ/n) θ
  }
  BOOST_TEST(!p[1].tensor.has_grad());  // the bias is not in the penalty
  std::vector<Parameter> q = sample_params();
  l2_penalty(q, 0.6, 0.0, L2Convention::kLambdaOver2).backward();
  BOOST_TEST(q[0].tensor.grad().at(3) == 0.6 * 3.0, boost::test_tools::tolerance(1e-15));  // λθ
}

BOOST_AUTO_TEST_CASE(over_a_module) {
  Generator gen(1);
  Linear layer(3, 2, gen, true, kFloat64);
  double w2 = 0;
  for (std::size_t k = 0; k < 6; ++k)
    w2 += layer.weight().value().at(k) * layer.weight().value().at(k);
  BOOST_TEST(l2_penalty(layer, 1.0, 0.0, L2Convention::kLambdaOver2).item() == w2 / 2,
             boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(only_biases_give_a_constant_zero) {
  std::vector<Parameter> p{sample_params()[1]};
  Tensor z = l2_penalty(p, 1.0, 2.0, L2Convention::kLambdaOver2n);
  BOOST_TEST(z.item() == 0.0);
  BOOST_TEST(!z.requires_grad());
}

BOOST_AUTO_TEST_CASE(errors) {
  std::vector<Parameter> p = sample_params();
  BOOST_CHECK_EXCEPTION(l2_penalty(p, -1.0, 2.0, L2Convention::kLambdaOver2), ValueError,
                        message_is("l2_penalty: lambda must be finite and >= 0, got -1"));
  BOOST_CHECK_EXCEPTION(
      l2_penalty(p, 1.0, 0.0, L2Convention::kLambdaOver2n), ValueError,
      message_is("l2_penalty: the (lambda/2n) convention needs n > 0 examples, got 0"));
  BOOST_CHECK_EXCEPTION(l2_penalty(std::vector<Parameter>{}, 1.0, 1.0, L2Convention::kLambdaOver2),
                        ValueError, message_is("l2_penalty: no parameters"));
}

BOOST_AUTO_TEST_SUITE_END()
