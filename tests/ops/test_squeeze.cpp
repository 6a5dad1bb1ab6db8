// Tests for ops/squeeze.h: unsqueeze, squeeze, stack, split, split_with_sizes
// and chunk (shapes as PyTorch), their gradients and errors.
#include <boost/test/unit_test.hpp>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/arithmetic.h"
#include "ops/squeeze.h"
#include "ops/sum.h"
#include "tests/ops/op_test_util.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::check_close;
using xgrad::testing::iota;
using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(ops_squeeze_tests)

BOOST_AUTO_TEST_CASE(unsqueeze_and_squeeze_shapes) {
  Tensor x(iota({2, 3}));
  BOOST_TEST((unsqueeze(x, 0).shape() == Shape{1, 2, 3}));
  BOOST_TEST((unsqueeze(x, 1).shape() == Shape{2, 1, 3}));
  BOOST_TEST((unsqueeze(x, 2).shape() == Shape{2, 3, 1}));
  BOOST_TEST((unsqueeze(x, -1).shape() == Shape{2, 3, 1}));
  BOOST_TEST((unsqueeze(x, -3).shape() == Shape{1, 2, 3}));
  Tensor z(iota({1, 2, 1, 3, 1}));
  BOOST_TEST((squeeze(z).shape() == Shape{2, 3}));
  BOOST_TEST((squeeze(z, 2).shape() == Shape{1, 2, 3, 1}));
  BOOST_TEST((squeeze(z, -1).shape() == Shape{1, 2, 1, 3}));
  BOOST_TEST((squeeze(z, 1).shape() == z.shape()));  // not size 1: unchanged, as PyTorch
  BOOST_TEST((squeeze(Tensor(iota({1, 1}))).shape() == Shape{}));
  check_close(squeeze(z).value(), {1, 2, 3, 4, 5, 6});
  BOOST_CHECK_EXCEPTION(unsqueeze(x, 3), ShapeError,
                        message_is("unsqueeze: axis 3 is out of range: input (2, 3, 1)"));
}

BOOST_AUTO_TEST_CASE(stack_as_pytorch) {
  Tensor a(iota({2, 2})), b = Tensor(iota({2, 2})) * 10.0;
  Tensor s0 = stack({a, b});
  BOOST_TEST((s0.shape() == Shape{2, 2, 2}));
  check_close(s0.value(), {1, 2, 3, 4, 10, 20, 30, 40});
  Tensor s2 = stack({a, b}, -1);
  BOOST_TEST((s2.shape() == Shape{2, 2, 2}));
  check_close(s2.value(), {1, 10, 2, 20, 3, 30, 4, 40});
  check_close(stack({a, b}, 1).value(), {1, 2, 10, 20, 3, 4, 30, 40});
  BOOST_CHECK_EXCEPTION(stack({a, Tensor(iota({2, 3}))}), ShapeError,
                        message_is("stack: every tensor must have the same shape: input 0 (2, 2), "
                                   "input 1 (2, 3)"));
  GradcheckResult r =
      gradcheck("stack", [](const std::vector<Tensor>& in) { return stack(in, 2); }, {a, b});
  BOOST_TEST(r.pass(), r.message());
}

BOOST_AUTO_TEST_CASE(split_and_chunk_sizes_as_pytorch) {
  Tensor x(iota({2, 7}));
  auto sizes = [](const std::vector<Tensor>& parts, std::size_t dim) {
    std::vector<std::size_t> s;
    for (const Tensor& p : parts) s.push_back(p.shape()[dim]);
    return s;
  };
  BOOST_TEST(sizes(split(x, 3, 1), 1) == std::vector<std::size_t>({3, 3, 1}));
  BOOST_TEST(sizes(split(x, 7, 1), 1) == std::vector<std::size_t>({7}));
  BOOST_TEST(sizes(split(x, 10, -1), 1) == std::vector<std::size_t>({7}));
  BOOST_TEST(sizes(split(x, 1), 0) == std::vector<std::size_t>({1, 1}));
  BOOST_TEST(sizes(split_with_sizes(x, {2, 0, 5}, 1), 1) == std::vector<std::size_t>({2, 0, 5}));
  // torch.chunk(7, 3) -> 3, 3, 1; chunk(7, 4) -> 2, 2, 2, 1; chunk(6, 4) -> 2, 2, 2 (fewer pieces)
  BOOST_TEST(sizes(chunk(x, 3, 1), 1) == std::vector<std::size_t>({3, 3, 1}));
  BOOST_TEST(sizes(chunk(x, 4, 1), 1) == std::vector<std::size_t>({2, 2, 2, 1}));
  BOOST_TEST(sizes(chunk(Tensor(iota({6})), 4), 0) == std::vector<std::size_t>({2, 2, 2}));
  check_close(split(x, 3, 1)[2].value(), {7, 14});
  BOOST_CHECK_EXCEPTION(split_with_sizes(x, {2, 4}, 1), ShapeError,
                        message_is("split_with_sizes: sizes (2, 4) must sum to the size of axis 1: "
                                   "input (2, 7)"));
  BOOST_CHECK_EXCEPTION(split(x, 0, 1), ValueError,
                        message_is("split: split_size must be positive, got 0"));
  BOOST_CHECK_EXCEPTION(chunk(x, 0), ValueError,
                        message_is("chunk: chunks must be positive, got 0"));
}

BOOST_AUTO_TEST_CASE(split_pieces_route_their_gradients) {
  Tensor x = Tensor(iota({2, 5}), true);
  std::vector<Tensor> p = split(x, 2, 1);
  Tensor loss = sum(p[0]) + sum(p[2]) * 10.0;
  loss.backward();
  check_close(x.grad(), {1, 1, 0, 0, 10, 1, 1, 0, 0, 10});
}

BOOST_AUTO_TEST_SUITE_END()
