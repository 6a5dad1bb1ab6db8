// Tests for ops/logsumexp.h against PyTorch 1.13 values (computed once with
// libtorch 1.13.1 in float64 and pasted here), stability at ±1000 and ±inf,
// the gradient (the softmax), determinism and errors.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/arithmetic.h"
#include "ops/logsumexp.h"
#include "ops/reshape.h"
#include "tests/ops/op_test_util.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::check_close;
using xgrad::testing::message_is;
using xgrad::testing::ramp;

BOOST_AUTO_TEST_SUITE(ops_logsumexp_tests)
BOOST_AUTO_TEST_CASE(logsumexp_matches_pytorch_and_is_stable) {
  Tensor x = tensor({{1.0, 2.0, 3.0}, {-1000.0, 0.0, 1000.0}}, kFloat64);
  check_close(logsumexp(x, 1).value(), {3.4076059644443806, 1000}, 1e-15);
  check_close(logsumexp(ramp(), {0, 2}).value(),
              {3.4931768714580413, 4.064605442886613, 4.6360340143151841}, 1e-15);
  BOOST_TEST((logsumexp(ramp(), {0, 2}, true).shape() == Shape{1, 3, 1}));
  const double inf = std::numeric_limits<double>::infinity();
  check_close(logsumexp(tensor({{-inf, -inf}, {inf, 1.0}}, kFloat64), -1).value(), {-inf, inf});
}

BOOST_AUTO_TEST_CASE(logsumexp_gradient_is_the_softmax) {
  Tensor x(tensor({{1.0, 2.0, 3.0}}, kFloat64).value(), true);
  logsumexp(x, 1).backward();
  const double z = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  check_close(x.grad(), {std::exp(1.0) / z, std::exp(2.0) / z, std::exp(3.0) / z}, 1e-15);
  auto f = [](const std::vector<Tensor>& in) { return logsumexp(in[0], {0, 2}); };
  GradcheckResult r = gradgradcheck("logsumexp", f, {ramp()});
  BOOST_TEST(r.pass(), r.message());
}

BOOST_AUTO_TEST_CASE(identical_for_one_and_two_threads) {
  Generator gen(16);
  Tensor x = randn({64, 512}, gen);
  xgrad::testing::check_same_for_threads([&] { return logsumexp(x, 0).value(); });
  xgrad::testing::check_same_for_threads([&] { return logsumexp(x, -1).value(); });
}

BOOST_AUTO_TEST_CASE(errors) {
  BOOST_CHECK_EXCEPTION(logsumexp(zeros({2, 3}), 2), ShapeError,
                        message_is("logsumexp: axis 2 is out of range: input (2, 3)"));
  BOOST_CHECK_EXCEPTION(logsumexp(tensor({1, 2}), 0), DTypeError,
                        message_is("logsumexp: expected float32 or float64: input int64"));
}

BOOST_AUTO_TEST_SUITE_END()
