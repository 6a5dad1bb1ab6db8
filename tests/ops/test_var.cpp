// Tests for ops/var.h: var and std against PyTorch 1.13 values (computed once
// with libtorch 1.13.1 in float64 and pasted here), the overloads (flag vs
// axis), stability for a large mean in float32, determinism and errors.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/arithmetic.h"
#include "ops/reshape.h"
#include "ops/var.h"
#include "tests/ops/op_test_util.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::check_close;
using xgrad::testing::message_is;
using xgrad::testing::ramp;

BOOST_AUTO_TEST_SUITE(ops_var_tests)
BOOST_AUTO_TEST_CASE(var_and_std_match_pytorch) {
  check_close(var(ramp()).value(), {1.0204081632653061}, 1e-14);
  check_close(var(ramp(), 1).value(),
              {0.32653061224489793, 0.32653061224489804, 0.32653061224489793, 0.32653061224489799,
               0.32653061224489804, 0.32653061224489799, 0.32653061224489816, 0.32653061224489771},
              1e-14);
  check_close(xgrad::std(ramp(), {0, 2}, false).value(),
              {0.8718968296952645, 0.87189682969526461, 0.8718968296952645}, 1e-14);
  Tensor k = var(ramp(), {1}, true, true);
  BOOST_TEST((k.shape() == Shape{2, 1, 4}));
  check_close(k.value(),
              {0.32653061224489793, 0.32653061224489804, 0.32653061224489793, 0.32653061224489799,
               0.32653061224489804, 0.32653061224489799, 0.32653061224489816, 0.32653061224489771},
              1e-14);
  // var(x, false) is the flag (biased, all elements); var(x, 0) the axis.
  check_close(var(tensor({1.0, 3.0}, kFloat64), false).value(), {1.0});
  check_close(var(tensor({1.0, 3.0}, kFloat64), 0).value(), {2.0});
  check_close(xgrad::std(tensor({1.0, 3.0}, kFloat64)).value(), {std::sqrt(2.0)});
  BOOST_TEST(std::isnan(var(tensor({5.0}, kFloat64)).item()));  // N - 1 = 0
}

BOOST_AUTO_TEST_CASE(var_is_stable_for_a_large_mean_in_float32) {
  Generator gen(15);
  Tensor noise = randn({1000}, gen) * 0.01;
  Tensor x = noise + 1e4;  // float32: the spacing at 1e4 is 1e-3
  const double expected = var(noise.to(kFloat64)).item();
  BOOST_TEST(std::abs(var(x).item() - expected) <= 0.01 * expected);
}

BOOST_AUTO_TEST_CASE(identical_for_one_and_two_threads) {
  Generator gen(16);
  Tensor x = randn({64, 512}, gen);
  xgrad::testing::check_same_for_threads([&] { return var(x, 0).value(); });
  xgrad::testing::check_same_for_threads([&] { return xgrad::std(x, {0, 1}).value(); });
}

BOOST_AUTO_TEST_CASE(errors) {
  BOOST_CHECK_EXCEPTION(var(zeros({2, 3}), {1, -1}), ShapeError,
                        message_is("var: duplicate axis 1: input (2, 3)"));
  BOOST_CHECK_EXCEPTION(xgrad::std(tensor({1, 2})), DTypeError,
                        message_is("std: expected float32 or float64: input int64"));
}

BOOST_AUTO_TEST_SUITE_END()
