// Tests for ops/upsample.h: nearest upsampling against PyTorch 1.13 (computed
// once with libtorch 1.13.1 and pasted here), its gradient, determinism, errors.
#include <boost/test/unit_test.hpp>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/arithmetic.h"
#include "ops/sum.h"
#include "ops/upsample.h"
#include "tests/ops/op_test_util.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::check_close;
using xgrad::testing::from_index;
using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(ops_upsample_tests)

BOOST_AUTO_TEST_CASE(upsample_nearest_matches_pytorch) {
  Tensor x = from_index({1, 1, 2, 3}, [](double v) { return v; });
  check_close(upsample_nearest2d(x, 2).value(),
              {0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 3, 3, 4, 4, 5, 5});
  Tensor xl(x.value(), true);
  sum(upsample_nearest2d(xl, Size2{3, 2}) * 2.0).backward();
  check_close(xl.grad(), {12, 12, 12, 12, 12, 12});  // each pixel copied 3 x 2 times
  BOOST_CHECK_EXCEPTION(
      upsample_nearest2d(zeros({2, 3}), 2), ShapeError,
      message_is("upsample_nearest2d: input must be 4-D (N, C, H, W): input (2, 3)"));
}

BOOST_AUTO_TEST_CASE(identical_for_one_and_two_threads) {
  Generator gen(22);
  Tensor x = randn({8, 16, 14, 14}, gen);
  xgrad::testing::check_same_for_threads([&] { return upsample_nearest2d(x, 2).value(); });
  xgrad::testing::check_same_for_threads([&] {
    return upsample_nearest2d_backward(upsample_nearest2d(x, 2), {2, 2}).value();
  });
}

BOOST_AUTO_TEST_SUITE_END()
