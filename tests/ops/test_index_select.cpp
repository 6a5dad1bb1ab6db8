// Tests for ops/index_select.h: values against index loops, the scatter-add
// gradient with repeated indices, determinism, and the index errors.
#include <boost/test/unit_test.hpp>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/index_select.h"
#include "tests/ops/op_test_util.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::check_close;
using xgrad::testing::iota;
using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(ops_index_select_tests)

BOOST_AUTO_TEST_CASE(selects_along_each_axis) {
  Tensor x(iota({3, 4}));  // rows 1-4, 5-8, 9-12
  check_close(index_select(x, 0, tensor({2, 0, 2})).value(),
              {9, 10, 11, 12, 1, 2, 3, 4, 9, 10, 11, 12});
  check_close(index_select(x, 1, tensor({3, 1})).value(), {4, 2, 8, 6, 12, 10});
  check_close(index_select(x, -1, tensor({3, 1})).value(), {4, 2, 8, 6, 12, 10});
  BOOST_TEST((index_select(x, 1, tensor({3, 1})).shape() == Shape{3, 2}));
  BOOST_TEST((index_select(x, 0, tensor(std::vector<std::int64_t>{}, {0})).shape() == Shape{0, 4}));
  Tensor labels = tensor({7, 8, 9});  // int64 data is selected too
  check_close(index_select(labels, 0, tensor({2, 2})).value(), {9, 9});
}

BOOST_AUTO_TEST_CASE(gradient_adds_repeated_indices) {
  Tensor x(iota({2, 3}));
  Array u = tensor({{1.0, 10.0, 100.0, 1000.0}, {2.0, 20.0, 200.0, 2000.0}}, kFloat64).value();
  std::vector<Array> g = xgrad::testing::grads_of(
      [](const std::vector<Tensor>& in) { return index_select(in[0], 1, in[1]); },
      {x, tensor({2, 0, 2, 2})}, u);
  // column 0 gets u[:, 1]; column 2 gets u[:, 0] + u[:, 2] + u[:, 3]; column 1 nothing
  check_close(g[0], {10, 0, 1101, 20, 0, 2202});
}

BOOST_AUTO_TEST_CASE(gradcheck_both_orders) {
  Generator gen(5);
  Tensor x = randn({3, 4, 2}, gen, kFloat64);
  Tensor idx = tensor({1, 3, 1, 0});
  auto f = [idx](const std::vector<Tensor>& in) { return index_select(in[0], 1, idx); };
  GradcheckResult r = gradcheck("index_select", f, {x});
  BOOST_TEST(r.pass(), r.message());
  GradcheckResult r2 = gradgradcheck("index_select", f, {x});
  BOOST_TEST(r2.pass(), r2.message());
}

BOOST_AUTO_TEST_CASE(backward_identical_for_one_and_two_threads) {
  Generator gen(6);
  Tensor dy = randn({64, 4096}, gen);
  Array u = gen.uniform({4096}, 0, 50, kFloat64);
  Array idx = Array::empty({4096}, kInt64);
  for (std::size_t i = 0; i < idx.size(); ++i) idx.set(i, std::floor(u.at(i)));
  Tensor index(idx);
  xgrad::testing::check_same_for_threads([&] {
    return index_select_backward(dy, index, {64, 50}, 1).value();
  });
  xgrad::testing::check_same_for_threads([&] { return index_select(dy, 1, index).value(); });
}

BOOST_AUTO_TEST_CASE(bad_indices_are_named) {
  Tensor x(iota({3, 4}));
  BOOST_CHECK_EXCEPTION(index_select(x, 1, tensor({1.0, 2.0})), DTypeError,
                        message_is("index_select: indices must be int64: index float32"));
  BOOST_CHECK_EXCEPTION(index_select(x, 1, tensor({1, 4, 0})), ValueError,
                        message_is("index_select: index 4 at position (1) is out of range [0, 4)"));
  BOOST_CHECK_EXCEPTION(
      index_select(x, 0, tensor({-1})), ValueError,
      message_is("index_select: index -1 at position (0) is out of range [0, 3)"));
  BOOST_CHECK_EXCEPTION(index_select(x, 2, tensor({0})), ShapeError,
                        message_is("index_select: axis 2 is out of range: input (3, 4)"));
  BOOST_CHECK_EXCEPTION(index_select(x, 0, tensor({{0, 1}})), ShapeError,
                        message_is("index_select: index must be 0-D or 1-D: index (1, 2)"));
}

BOOST_AUTO_TEST_SUITE_END()
