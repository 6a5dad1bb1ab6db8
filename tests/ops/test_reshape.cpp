// reshape and flatten: values keep their row-major order, -1 is inferred,
// the gradient is dy in x's shape, and the errors name both shapes.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/reshape.h"
#include "tests/test_messages.h"

using namespace xgrad;

namespace {
Array iota(const Shape& shape) {
  Array a = Array::empty(shape, kFloat64);
  for (std::size_t i = 0; i < a.size(); ++i) a.set(i, double(i) + 1);
  return a;
}

using xgrad::testing::message_is;
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_reshape_tests)

BOOST_AUTO_TEST_CASE(keeps_row_major_order) {
  Tensor x = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, kFloat64);
  Tensor y = reshape(x, {3, 2});
  BOOST_TEST(y.shape() == Shape({3, 2}));
  // y[i, j] = x.flat[2 i + j]
  const double x_flat[] = {1, 2, 3, 4, 5, 6};
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 2; ++j) BOOST_TEST(y.value().at(i * 2 + j) == x_flat[2 * i + j]);
  BOOST_TEST(y.op() == "reshape");
}

BOOST_AUTO_TEST_CASE(minus_one_is_inferred) {
  Tensor x(iota({2, 3, 4}));
  BOOST_TEST(reshape(x, {-1}).shape() == Shape({24}));
  BOOST_TEST(reshape(x, {4, -1}).shape() == Shape({4, 6}));
  BOOST_TEST(reshape(x, {2, -1, 3}).shape() == Shape({2, 4, 3}));
  BOOST_TEST(reshape(x, {1, 24, 1}).shape() == Shape({1, 24, 1}));
  BOOST_TEST(reshape(Tensor(iota({1})), {}).shape() == Shape({}));
}

BOOST_AUTO_TEST_CASE(flatten_keeps_the_batch_dimension) {
  Tensor x(iota({2, 3, 2, 2}));
  Tensor y = flatten(x);
  BOOST_TEST(y.shape() == Shape({2, 12}));
  BOOST_TEST(max_abs_diff(y.value().reshaped({24}), x.value().reshaped({24})) == 0.0);
  BOOST_TEST(flatten(Tensor(iota({5}))).shape() == Shape({5, 1}));
  BOOST_TEST(y.op() == "flatten");
}

BOOST_AUTO_TEST_CASE(gradient_is_dy_in_the_input_shape) {
  Tensor x = Tensor(iota({2, 3}), true);
  Tensor y = reshape(x, {3, 2});
  Array dy = iota({3, 2});
  y.backward(dy);
  BOOST_TEST(x.grad().shape() == Shape({2, 3}));
  for (std::size_t i = 0; i < 6; ++i) BOOST_TEST(x.grad().at(i) == dy.at(i));
}

BOOST_AUTO_TEST_CASE(gradcheck_reshape_and_flatten) {
  Generator gen(2);
  Tensor x(gen.normal({2, 3, 2}, 0, 1, kFloat64));
  auto r = gradcheck("reshape",
                     [](const std::vector<Tensor>& in) {
                       return reshape(in[0], {-1, 4});
                     },
                     {x});
  BOOST_TEST(r.pass(), r.message());
  auto f = gradcheck("flatten", [](const std::vector<Tensor>& in) { return flatten(in[0]); }, {x});
  BOOST_TEST(f.pass(), f.message());
}

BOOST_AUTO_TEST_CASE(errors_name_both_shapes) {
  Tensor x(iota({2, 3}));
  BOOST_CHECK_EXCEPTION(reshape(x, {4, 2}), ShapeError,
                        message_is("reshape: sizes must match: input (2, 3), target (4, 2)"));
  BOOST_CHECK_EXCEPTION(
      reshape(x, {4, -1}), ShapeError,
      message_is("reshape: cannot infer the -1 dimension: input (2, 3), target (4, 0)"));
  BOOST_CHECK_THROW(reshape(x, {-1, -1}), ValueError);
  BOOST_CHECK_THROW(reshape(x, {-2, 3}), ValueError);
  BOOST_CHECK_EXCEPTION(flatten(Tensor(Array::scalar(1, kFloat64))), ShapeError,
                        message_is("flatten: input must have a batch dimension: input ()"));
}

BOOST_AUTO_TEST_SUITE_END()
