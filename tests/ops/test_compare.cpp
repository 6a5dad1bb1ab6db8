// Tests for ops/compare.h: comparison masks (0/1 in the inputs' dtype, no
// gradient), where with broadcasting and its gradient.
#include <boost/test/unit_test.hpp>
#include <limits>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/compare.h"
#include "tests/ops/op_test_util.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::check_close;
using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(ops_compare_tests)

BOOST_AUTO_TEST_CASE(masks_with_broadcasting) {
  Tensor a = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, kFloat64);
  Tensor b = tensor({2.0, 2.0, 7.0}, kFloat64);
  check_close(eq(a, b).value(), {0, 1, 0, 0, 0, 0});
  check_close(ne(a, b).value(), {1, 0, 1, 1, 1, 1});
  check_close(lt(a, b).value(), {1, 0, 1, 0, 0, 1});
  check_close(le(a, b).value(), {1, 1, 1, 0, 0, 1});
  check_close(gt(a, b).value(), {0, 0, 0, 1, 1, 0});
  check_close(ge(a, b).value(), {0, 1, 0, 1, 1, 0});
  check_close(gt(a, 3.5).value(), {0, 0, 0, 1, 1, 1});
  check_close(le(b, 2.0).value(), {1, 1, 0});
  BOOST_TEST((gt(a, b).dtype() == kFloat64));
  BOOST_TEST((gt(a, b).shape() == Shape{2, 3}));
  Tensor f32 = tensor({0.5f, -1.0f});
  BOOST_TEST((gt(f32, 0.0).dtype() == kFloat32));
}

BOOST_AUTO_TEST_CASE(masks_never_require_grad) {
  Tensor a = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  BOOST_TEST(!gt(a, 1.5).requires_grad());
  BOOST_TEST(!eq(a, a).requires_grad());
}

BOOST_AUTO_TEST_CASE(int64_masks_are_int64) {
  Tensor a = tensor({1, 5, 3});
  Tensor m = eq(a, tensor({1, 2, 3}));
  BOOST_TEST((m.dtype() == kInt64));
  check_close(m.value(), {1, 0, 1});
  check_close(lt(a, 2.5).value(), {1, 0, 0});
}

BOOST_AUTO_TEST_CASE(nan_compares_false_except_ne) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor a = tensor({nan, 1.0}, kFloat64);
  Tensor b = tensor({nan, nan}, kFloat64);
  check_close(eq(a, b).value(), {0, 0});
  check_close(ne(a, b).value(), {1, 1});
  check_close(lt(a, b).value(), {0, 0});
  check_close(ge(a, b).value(), {0, 0});
}

BOOST_AUTO_TEST_CASE(where_selects_with_broadcasting) {
  Tensor cond = tensor({{1.0}, {0.0}}, kFloat64);  // (2, 1)
  Tensor a = tensor({1.0, 2.0, 3.0}, kFloat64);    // (3)
  Tensor b = tensor({{10.0, 20.0, 30.0}, {40.0, 50.0, 60.0}}, kFloat64);
  Tensor y = where(cond, a, b);
  BOOST_TEST((y.shape() == Shape{2, 3}));
  check_close(y.value(), {1, 2, 3, 40, 50, 60});
  check_close(where(gt(b, 25.0), b, 0.0).value(), {0, 0, 30, 40, 50, 60});
  check_close(where(tensor({1, 0}), 7.0, tensor({1.0, 2.0}, kFloat64)).value(), {7, 2});
  // A NaN condition is nonzero, so true (as bool(NaN) in PyTorch).
  const double nan = std::numeric_limits<double>::quiet_NaN();
  check_close(where(tensor({nan}, kFloat64), tensor({1.0}, kFloat64), 2.0).value(), {1});
  BOOST_TEST((where(tensor({1, 0}), tensor({3, 4}), tensor({5, 6})).dtype() == kInt64));
}

BOOST_AUTO_TEST_CASE(where_gradient_goes_to_the_chosen_side_and_is_reduced) {
  Tensor cond = tensor({{1.0}, {0.0}}, kFloat64);
  Tensor a = tensor({1.0, 2.0, 3.0}, kFloat64);
  Tensor b = tensor({{10.0, 20.0, 30.0}, {40.0, 50.0, 60.0}}, kFloat64);
  Array u = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, kFloat64).value();
  std::vector<Array> g = xgrad::testing::grads_of(
      [](const std::vector<Tensor>& in) { return where(in[0], in[1], in[2]); }, {cond, a, b}, u);
  // g[0] is cond's: cond is a float leaf here, but it gets no gradient.
  BOOST_TEST_REQUIRE(g.size() == 3u);
  check_close(g[1], {1, 2, 3});  // row 0 chose a; summed over the broadcast rows
  check_close(g[2], {0, 0, 0, 4, 5, 6});
  GradcheckResult r = gradcheck(
      "where", [cond](const std::vector<Tensor>& in) { return where(cond, in[0], in[1]); }, {a, b});
  BOOST_TEST(r.pass(), r.message());
}

BOOST_AUTO_TEST_CASE(masked_fill_as_pytorch) {
  const double inf = std::numeric_limits<double>::infinity();
  Tensor scores = tensor({{1.0, 2.0}, {3.0, 4.0}}, kFloat64).requires_grad_();
  Tensor upper = tensor({{0.0, 1.0}, {0.0, 0.0}}, kFloat64);  // above the diagonal
  Tensor y = masked_fill(scores, upper, -inf);
  check_close(y.value(), {1, -inf, 3, 4});
  y.backward(Array::full({2, 2}, 1.0, kFloat64));
  check_close(scores.grad(), {1, 0, 1, 1});
}

BOOST_AUTO_TEST_CASE(errors_name_the_op_and_operands) {
  Tensor a = zeros({2, 3}, kFloat64);
  BOOST_CHECK_EXCEPTION(eq(a, zeros({4}, kFloat64)), ShapeError,
                        message_is("eq: shapes are not broadcastable: lhs (2, 3), rhs (4)"));
  BOOST_CHECK_EXCEPTION(lt(a, zeros({2, 3}, kFloat32)), DTypeError,
                        message_is("lt: dtypes must match: lhs float64, rhs float32"));
  BOOST_CHECK_EXCEPTION(
      where(zeros({2, 1}), a, zeros({5}, kFloat64)), ShapeError,
      message_is("where: shapes are not broadcastable: condition (2, 1), input (2, 3), other (5)"));
  BOOST_CHECK_EXCEPTION(where(zeros({2, 3}), a, zeros({2, 3}, kFloat32)), DTypeError,
                        message_is("where: dtypes must match: input float64, other float32"));
}

BOOST_AUTO_TEST_CASE(identical_for_one_and_two_threads) {
  Generator g(3);
  Tensor a = randn({300, 257}, g), b = randn({257}, g);
  xgrad::testing::check_same_for_threads([&] { return where(gt(a, b), a, b).value(); });
}

BOOST_AUTO_TEST_SUITE_END()
