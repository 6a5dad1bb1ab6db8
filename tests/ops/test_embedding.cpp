// Tests for ops/embedding.h: lookup, the deterministic scatter-add gradient
// (repeated indices, padding_idx), one_hot, and the index errors.
#include <boost/test/unit_test.hpp>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/compare.h"
#include "ops/embedding.h"
#include "tests/ops/op_test_util.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::check_close;
using xgrad::testing::iota;
using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(ops_embedding_tests)

BOOST_AUTO_TEST_CASE(lookup_shape_and_values) {
  Tensor w(iota({4, 2}));  // rows (1, 2), (3, 4), (5, 6), (7, 8)
  Tensor y = embedding(w, tensor({{3, 0}, {1, 1}, {2, 3}}));
  BOOST_TEST((y.shape() == Shape{3, 2, 2}));
  check_close(y.value(), {7, 8, 1, 2, 3, 4, 3, 4, 5, 6, 7, 8});
  BOOST_TEST((embedding(w, tensor({2})).shape() == Shape{1, 2}));
  Tensor scalar_index(Array::full({}, 2, kInt64));
  check_close(embedding(w, scalar_index).value(), {5, 6});
}

BOOST_AUTO_TEST_CASE(gradient_sums_rows_and_skips_padding) {
  Tensor w(iota({4, 2}));
  Tensor idx = tensor({1, 3, 1, 0});
  Array u = tensor({{1.0, 2.0}, {10.0, 20.0}, {100.0, 200.0}, {1000.0, 2000.0}}, kFloat64).value();
  auto f = [](const std::vector<Tensor>& in) { return embedding(in[0], in[1]); };
  check_close(xgrad::testing::grads_of(f, {w, idx}, u)[0], {1000, 2000, 101, 202, 0, 0, 10, 20});
  auto padded = [](const std::vector<Tensor>& in) { return embedding(in[0], in[1], 1); };
  check_close(xgrad::testing::grads_of(padded, {w, idx}, u)[0], {1000, 2000, 0, 0, 0, 0, 10, 20});
  auto from_end = [](const std::vector<Tensor>& in) { return embedding(in[0], in[1], -1); };
  check_close(xgrad::testing::grads_of(from_end, {w, idx}, u)[0],
              {1000, 2000, 101, 202, 0, 0, 0, 0});
}

BOOST_AUTO_TEST_CASE(gradcheck_both_orders) {
  Generator gen(4);
  Tensor w = randn({5, 3}, gen, kFloat64);
  Tensor idx = tensor({{4, 0, 4}, {2, 2, 1}});
  // Row padding_idx (2) gets no gradient although the lookup reads it (as
  // PyTorch), so the padded check holds that row constant (at 0) with where().
  Tensor keep = tensor({{1.0}, {1.0}, {0.0}, {1.0}, {1.0}}, kFloat64);
  for (bool pad : {false, true}) {
    auto f = [idx, pad, keep](const std::vector<Tensor>& in) {
      return pad ? embedding(where(keep, in[0], 0.0), idx, 2) : embedding(in[0], idx);
    };
    GradcheckResult r = gradcheck("embedding", f, {w});
    BOOST_TEST(r.pass(), r.message());
    GradcheckResult r2 = gradgradcheck("embedding", f, {w});
    BOOST_TEST(r2.pass(), r2.message());
  }
}

// The scatter-add is deterministic: a vocabulary row hit by many positions
// sums them in position order on whichever thread owns the row.
BOOST_AUTO_TEST_CASE(backward_identical_for_one_and_two_threads) {
  Generator gen(10);
  Tensor dy = randn({64, 128, 32}, gen);
  Array u = gen.uniform({64, 128}, 0, 100, kFloat64);
  Array idx = Array::empty({64, 128}, kInt64);
  for (std::size_t i = 0; i < idx.size(); ++i) idx.set(i, std::floor(u.at(i)));
  Tensor index(idx);
  xgrad::testing::check_same_for_threads(
      [&] { return embedding_backward(dy, index, 100).value(); });
  Tensor w = randn({100, 32}, gen);
  xgrad::testing::check_same_for_threads([&] { return embedding(w, index).value(); });
}

BOOST_AUTO_TEST_CASE(one_hot_as_pytorch) {
  Tensor y = one_hot(tensor({0, 2, 1}), 4);
  BOOST_TEST((y.dtype() == kInt64));
  BOOST_TEST((y.shape() == Shape{3, 4}));
  check_close(y.value(), {1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0});
  BOOST_TEST((one_hot(tensor({{1, 3}})).shape() == Shape{1, 2, 4}));  // num_classes = max + 1
  BOOST_CHECK_EXCEPTION(one_hot(tensor({0, 4}), 4), ValueError,
                        message_is("one_hot: index 4 at position (1) is out of range [0, 4)"));
}

BOOST_AUTO_TEST_CASE(errors_name_the_op) {
  Tensor w(iota({4, 2}));
  BOOST_CHECK_EXCEPTION(embedding(w, tensor({1.0, 2.0})), DTypeError,
                        message_is("embedding: indices must be int64: indices float32"));
  BOOST_CHECK_EXCEPTION(embedding(w, tensor({{0, 1}, {5, 2}})), ValueError,
                        message_is("embedding: index 5 at position (1, 0) is out of range [0, 4)"));
  BOOST_CHECK_EXCEPTION(
      embedding(tensor({0, 1}), w), DTypeError,
      message_is("embedding: weight must be float32 or float64 (the order is "
                 "embedding(weight, indices), as torch::embedding): weight int64"));
  BOOST_CHECK_EXCEPTION(embedding(Tensor(iota({4})), tensor({0})), ShapeError,
                        message_is("embedding: weight must be 2-D (V, D): weight (4)"));
  BOOST_CHECK_EXCEPTION(embedding(w, tensor({0}), 4), ValueError,
                        message_is("embedding: padding_idx 4 is out of range [-4, 4)"));
}

BOOST_AUTO_TEST_SUITE_END()
