// Tests for ops/minimum.h: values with broadcasting, the gradient split at
// ties (PyTorch 1.13: half to each side), NaN propagation, errors.
// The tie gradients were computed once with libtorch 1.13.1 and pasted here.
#include <boost/test/unit_test.hpp>
#include <limits>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/minimum.h"
#include "tests/ops/op_test_util.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::check_close;
using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(ops_minimum_tests)

BOOST_AUTO_TEST_CASE(values_and_tie_gradients_match_pytorch) {
  Tensor a = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, kFloat64);
  Tensor b = tensor({2.0, 2.0, 7.0}, kFloat64);  // ties with a at (0, 1)
  Array u = tensor({{1.0, 10.0, 100.0}, {1000.0, 10000.0, 100000.0}}, kFloat64).value();
  auto fmax = [](const std::vector<Tensor>& in) { return maximum(in[0], in[1]); };
  auto fmin = [](const std::vector<Tensor>& in) { return minimum(in[0], in[1]); };
  check_close(maximum(a, b).value(), {2, 2, 7, 4, 5, 7});
  check_close(minimum(a, b).value(), {1, 2, 3, 2, 2, 6});
  std::vector<Array> gmax = xgrad::testing::grads_of(fmax, {a, b}, u);
  check_close(gmax[0], {0, 5, 0, 1000, 10000, 0});
  check_close(gmax[1], {1, 5, 100100});
  std::vector<Array> gmin = xgrad::testing::grads_of(fmin, {a, b}, u);
  check_close(gmin[0], {1, 5, 100, 0, 0, 100000});
  check_close(gmin[1], {1000, 10005, 0});
}

BOOST_AUTO_TEST_CASE(nan_propagates_from_either_side) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor a = tensor({nan, 1.0, 2.0}, kFloat64), b = tensor({0.0, nan, 1.0}, kFloat64);
  check_close(maximum(a, b).value(), {nan, nan, 2.0});
  check_close(minimum(a, b).value(), {nan, nan, 1.0});
}

BOOST_AUTO_TEST_CASE(gradcheck_away_from_ties) {
  Generator gen(14);
  Tensor a = randn({3, 4}, gen, kFloat64), b = randn({4}, gen, kFloat64);
  GradcheckResult r = gradcheck(
      "maximum", [](const std::vector<Tensor>& in) { return maximum(in[0], in[1]); }, {a, b});
  BOOST_TEST(r.pass(), r.message());
}

BOOST_AUTO_TEST_CASE(errors) {
  BOOST_CHECK_EXCEPTION(maximum(zeros({2, 3}), zeros({4})), ShapeError,
                        message_is("maximum: shapes are not broadcastable: lhs (2, 3), rhs (4)"));
  BOOST_CHECK_EXCEPTION(minimum(zeros({2}), zeros({2}, kFloat64)), DTypeError,
                        message_is("minimum: dtypes must match: lhs float32, rhs float64"));
}

BOOST_AUTO_TEST_SUITE_END()
