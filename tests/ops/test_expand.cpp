// Tests for ops/expand.h: broadcast_to / expand repeat values along new and
// size-1 dimensions (checked element by element), sum_to_size sums them back
// (hand sums), each is the other's gradient, and the errors.
#include <boost/test/unit_test.hpp>

#include "framework/factory.h"
#include "ops/expand.h"
#include "tests/ops/op_test_util.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::check_close;
using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(ops_expand_tests)

BOOST_AUTO_TEST_CASE(broadcast_to_and_expand_repeat_values) {
  const Tensor col = tensor({{1.0}, {2.0}}, kFloat64);  // (2, 1)
  const Tensor y = broadcast_to(col, {3, 2, 2});
  BOOST_TEST((y.shape() == Shape{3, 2, 2}));
  check_close(y.value(), {1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2});
  const Tensor e = expand(col, {2, -1, 3});  // -1 keeps the 2 rows
  BOOST_TEST((e.shape() == Shape{2, 2, 3}));
  check_close(e.value(), {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2});
}

BOOST_AUTO_TEST_CASE(sum_to_size_sums_what_broadcasting_added) {
  const Tensor x = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, kFloat64);
  check_close(sum_to_size(x, {1, 3}).value(), {5, 7, 9});
  check_close(sum_to_size(x, {2, 1}).value(), {6, 15});
  check_close(sum_to_size(x, {3}).value(), {5, 7, 9});
  check_close(sum_to_size(x, {}).value(), {21});
}

BOOST_AUTO_TEST_CASE(each_is_the_others_gradient) {
  const Array u = tensor({{1.0, 10.0, 100.0}, {1000.0, 10000.0, 100000.0}}, kFloat64).value();
  auto up = [](const std::vector<Tensor>& in) { return broadcast_to(in[0], {2, 3}); };
  check_close(xgrad::testing::grads_of(up, {tensor({1.0, 2.0, 3.0}, kFloat64)}, u)[0],
              {1001, 10010, 100100});
  auto down = [](const std::vector<Tensor>& in) { return sum_to_size(in[0], {1, 3}); };
  const Array v = tensor({{1.0, 2.0, 3.0}}, kFloat64).value();
  check_close(xgrad::testing::grads_of(down, {Tensor(Array::zeros({2, 3}, kFloat64))}, v)[0],
              {1, 2, 3, 1, 2, 3});
}

BOOST_AUTO_TEST_CASE(errors) {
  const Tensor x = tensor({1.0, 2.0}, kFloat64);
  BOOST_CHECK_THROW(broadcast_to(x, {3}), ShapeError);
  BOOST_CHECK_EXCEPTION(expand(x, {-1, 2}), ValueError,
                        message_is("expand: -1 is not allowed for a new leading dimension"));
  BOOST_CHECK_EXCEPTION(expand(x, {-2}), ValueError,
                        message_is("expand: sizes must be non-negative or -1"));
  BOOST_CHECK_THROW(expand(tensor({{1.0}}, kFloat64), {3}), ShapeError);
  BOOST_CHECK_THROW(sum_to_size(x, {3}), ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()
