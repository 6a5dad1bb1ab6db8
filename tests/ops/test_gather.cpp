// Tests for ops/gather.h: gather and scatter_add against PyTorch's definitions
// written as loops, their gradients, determinism and errors.
#include <boost/test/unit_test.hpp>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/gather.h"
#include "tests/ops/op_test_util.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::check_close;
using xgrad::testing::iota;
using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(ops_gather_tests)

BOOST_AUTO_TEST_CASE(gather_values) {
  Tensor x = tensor({{1.0, 2.0}, {3.0, 4.0}}, kFloat64);
  // torch.gather(x, 1, [[0, 0], [1, 0]]) = [[1, 1], [4, 3]] (the PyTorch docs' example)
  check_close(gather(x, 1, tensor({{0, 0}, {1, 0}})).value(), {1, 1, 4, 3});
  // dim 0, a smaller index: y[i][j] = x[index[i][j]][j]
  check_close(gather(x, 0, tensor({{1, 0}})).value(), {3, 2});
  BOOST_TEST((gather(x, 0, tensor({{1, 0}, {1, 1}, {0, 0}})).shape() == Shape{3, 2}));
}

BOOST_AUTO_TEST_CASE(scatter_add_values_match_the_loop) {
  Tensor self(iota({3, 4}));
  Tensor index = tensor({{0, 1, 2, 0}, {0, 0, 0, 0}});  // (2, 4), dim 0
  Tensor src = tensor({{1.0, 2.0, 3.0, 4.0, 5.0}, {6.0, 7.0, 8.0, 9.0, 10.0}}, kFloat64);  // (2, 5)
  Array y = scatter_add(self, 0, index, src).value();
  Array expected = self.value();
  for (std::size_t i = 0; i < 2; ++i) {
    for (std::size_t j = 0; j < 4; ++j) {
      const std::size_t row = std::size_t(index.value().at(i * 4 + j));
      expected.set(row * 4 + j, expected.at(row * 4 + j) + src.value().at(i * 5 + j));
    }
  }
  BOOST_TEST(max_abs_diff(y, expected) == 0.0);
}

BOOST_AUTO_TEST_CASE(gradients) {
  Tensor x = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, kFloat64);
  Tensor index = tensor({{2, 2}, {0, 1}});
  Array u = tensor({{1.0, 10.0}, {100.0, 1000.0}}, kFloat64).value();
  std::vector<Array> g = xgrad::testing::grads_of(
      [](const std::vector<Tensor>& in) { return gather(in[0], 1, in[1]); }, {x, index}, u);
  check_close(g[0], {0, 0, 11, 100, 1000, 0});
  Generator gen(8);
  Tensor s = randn({3, 4}, gen, kFloat64), src = randn({3, 5}, gen, kFloat64);
  Tensor idx = tensor({{0, 3, 3}, {1, 1, 2}});
  auto f = [idx](const std::vector<Tensor>& in) { return scatter_add(in[0], 1, idx, in[1]); };
  GradcheckResult r = gradcheck("scatter_add", f, {s, src});
  BOOST_TEST(r.pass(), r.message());
  auto fg = [idx](const std::vector<Tensor>& in) { return gather(in[0], 1, idx); };
  GradcheckResult r2 = gradgradcheck("gather", fg, {s});
  BOOST_TEST(r2.pass(), r2.message());
}

// 256 lines of 300 entries: more than one task's grain, so two threads split them.
BOOST_AUTO_TEST_CASE(scatter_add_identical_for_one_and_two_threads) {
  Generator gen(9);
  Tensor self = zeros({64, 256});
  Tensor src = randn({300, 256}, gen);
  Array u = gen.uniform({300, 256}, 0, 64, kFloat64);
  Array idx = Array::empty({300, 256}, kInt64);
  for (std::size_t i = 0; i < idx.size(); ++i) idx.set(i, std::floor(u.at(i)));
  Tensor index(idx);
  xgrad::testing::check_same_for_threads([&] { return scatter_add(self, 0, index, src).value(); });
  xgrad::testing::check_same_for_threads([&] { return gather(src, 0, index).value(); });
}

BOOST_AUTO_TEST_CASE(errors) {
  Tensor x(iota({2, 3}));
  BOOST_CHECK_EXCEPTION(gather(x, 1, tensor({{0.0}})), DTypeError,
                        message_is("gather: indices must be int64: index float32"));
  BOOST_CHECK_EXCEPTION(gather(x, 1, tensor({{0, 3}})), ValueError,
                        message_is("gather: index 3 at position (0, 1) is out of range [0, 3)"));
  BOOST_CHECK_EXCEPTION(gather(x, 1, tensor({0, 1})), ShapeError,
                        message_is("gather: index must have the input's rank and fit inside it "
                                   "(but along dim): input (2, 3), index (2)"));
  BOOST_CHECK_EXCEPTION(gather(x, 1, tensor({{0}, {0}, {0}})), ShapeError,
                        message_is("gather: index must have the input's rank and fit inside it "
                                   "(but along dim): input (2, 3), index (3, 1)"));
  BOOST_CHECK_EXCEPTION(scatter_add(x, 0, tensor({{0, 1}}), Tensor(iota({1, 1}))), ShapeError,
                        message_is("scatter_add: index must have the src's rank and fit inside "
                                   "it: src (1, 1), index (1, 2)"));
  BOOST_CHECK_EXCEPTION(scatter_add(x, 0, tensor({{0}}), Tensor(iota({1, 1}, kFloat32))),
                        DTypeError,
                        message_is("scatter_add: dtypes must match: input float64, src float32"));
}

BOOST_AUTO_TEST_SUITE_END()
