// Tests for ops/clamp.h: values at, inside and outside the bounds (written
// out by hand), the gradient mask (1 inside the closed interval, 0 outside),
// PyTorch's lo > hi rule, NaN, one-sided bounds, errors.
#include <boost/test/unit_test.hpp>
#include <limits>

#include "framework/factory.h"
#include "ops/clamp.h"
#include "tests/ops/op_test_util.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::check_close;
using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(ops_clamp_tests)

BOOST_AUTO_TEST_CASE(values_and_gradient_mask) {
  const Tensor x = tensor({-2.0, -1.0, 0.5, 1.0, 3.0}, kFloat64);
  const Array u = tensor({1.0, 10.0, 100.0, 1000.0, 10000.0}, kFloat64).value();
  auto f = [](const std::vector<Tensor>& in) { return clamp(in[0], -1.0, 1.0); };
  check_close(clamp(x, -1.0, 1.0).value(), {-1, -1, 0.5, 1, 1});
  // The bounds themselves are inside: their gradient passes (as PyTorch).
  check_close(xgrad::testing::grads_of(f, {x}, u)[0], {0, 10, 100, 1000, 0});
}

BOOST_AUTO_TEST_CASE(one_sided_bounds) {
  const Tensor x = tensor({-2.0, 0.0, 2.0}, kFloat64);
  check_close(clamp_min(x, 0.0).value(), {0, 0, 2});
  check_close(clamp_max(x, 0.0).value(), {-2, 0, 0});
  check_close(clamp(x, std::nullopt, 1.0).value(), {-2, 0, 1});
}

BOOST_AUTO_TEST_CASE(lo_above_hi_gives_hi_and_nan_stays) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  check_close(clamp(tensor({-5.0, 0.0, 5.0}, kFloat64), 2.0, 1.0).value(), {1, 1, 1});
  check_close(clamp(tensor({nan, 7.0}, kFloat64), 0.0, 1.0).value(), {nan, 1});
}

BOOST_AUTO_TEST_CASE(errors) {
  BOOST_CHECK_EXCEPTION(clamp(tensor({1.0}), std::nullopt, std::nullopt), ValueError,
                        message_is("clamp: at least one of min and max must be given"));
  BOOST_CHECK_THROW(clamp(tensor({1, 2}), 0.0, 1.0), DTypeError);  // int64
}

BOOST_AUTO_TEST_SUITE_END()
