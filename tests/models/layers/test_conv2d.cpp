// Tests for models/layers/conv2d.h: parameter shapes and count, PyTorch-style init bounds, the
// forward is the conv2d op on the layer's parameters, names, and errors.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>

#include "framework/factory.h"
#include "models/layers/conv2d.h"
#include "ops/conv2d.h"
#include "tests/test_messages.h"

using namespace xgrad;

namespace {
using xgrad::testing::message_is;

// All |values| <= bound, and spread out (not a constant).
void check_uniform_init(const Array& a, double bound) {
  double lo = 1e9, hi = -1e9;
  for (std::size_t i = 0; i < a.size(); ++i) {
    lo = std::min(lo, a.at(i));
    hi = std::max(hi, a.at(i));
  }
  BOOST_TEST(lo >= -bound);
  BOOST_TEST(hi <= bound);
  BOOST_TEST(hi - lo > bound / 2);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(models_layers_conv2d_tests)

BOOST_AUTO_TEST_CASE(parameters_and_initialisation) {
  Generator gen(1);
  Conv2d c(3, 8, {3, 5}, gen);
  BOOST_TEST(c.weight().shape() == Shape({8, 3, 3, 5}));
  BOOST_TEST(c.bias().shape() == Shape({8}));
  BOOST_TEST(c.parameter_count() == 8u * 3 * 3 * 5 + 8);
  BOOST_TEST(c.parameters()[0].name == "weight");
  BOOST_TEST(c.parameters()[1].name == "bias");
  BOOST_TEST(c.weight().requires_grad());
  const double bound = 1 / std::sqrt(3.0 * 3 * 5);  // fan_in = Cin·KH·KW
  check_uniform_init(c.weight().value(), bound);
  check_uniform_init(c.bias().value(), bound);

  Conv2d grouped(4, 6, 3, gen, Conv2dOptions(1, 1, 1, 2), false, kFloat64);
  BOOST_TEST(grouped.weight().shape() == Shape({6, 2, 3, 3}));  // Cin/groups
  BOOST_TEST(!grouped.bias().defined());
  BOOST_TEST(grouped.parameter_count() == 6u * 2 * 3 * 3);
  BOOST_TEST((grouped.weight().dtype() == kFloat64));
  check_uniform_init(grouped.weight().value(), 1 / std::sqrt(2.0 * 3 * 3));
}

BOOST_AUTO_TEST_CASE(forward_is_the_op_on_the_parameters) {
  Generator gen(2);
  Conv2d c(2, 4, 3, gen, Conv2dOptions(2, 1), true, kFloat64);
  Tensor x = randn({2, 2, 9, 8}, gen, kFloat64);
  Tensor y = c(x);
  BOOST_TEST(y.shape() == Shape({2, 4, 5, 4}));
  Tensor expected =
      conv2d(x, Tensor(c.weight().value()), Tensor(c.bias().value()), Conv2dOptions(2, 1));
  BOOST_TEST(max_abs_diff(y.value(), expected.value()) == 0.0);
  y.backward(Array::full(y.shape(), 1.0, kFloat64));
  BOOST_TEST(c.weight().grad().shape() == c.weight().shape());
  BOOST_TEST(c.bias().grad().at(0) == 2.0 * 5 * 4);  // db = Σ dy over N, OH, OW
}

BOOST_AUTO_TEST_CASE(names) {
  Generator gen(3);
  BOOST_TEST(Conv2d(1, 6, 5, gen).name() == "Conv2d(1 -> 6, kernel 5x5)");
  BOOST_TEST(
      Conv2d(4, 8, {3, 1}, gen, Conv2dOptions::axes({2, 1}, {1, 0}, {1, 1}, 2), false).name() ==
      "Conv2d(4 -> 8, kernel 3x1, stride 2x1, padding 1x0, groups 2, no bias)");
  BOOST_TEST(Conv2d(2, 2, 3, gen, Conv2dOptions(1, 0, 2)).name() ==
             "Conv2d(2 -> 2, kernel 3x3, dilation 2x2)");
}

BOOST_AUTO_TEST_CASE(errors_name_the_layer_and_shapes) {
  Generator gen(4);
  Conv2d c(3, 8, {3, 5}, gen);
  BOOST_CHECK_EXCEPTION(
      c(zeros({2, 4, 9, 9})), ShapeError,
      message_is("Conv2d(3 -> 8, kernel 3x5): input must be (N, 3, H, W): input (2, 4, 9, 9)"));
  BOOST_CHECK_EXCEPTION(
      c(zeros({2, 3, 2, 9})), ShapeError,
      message_is("conv2d: empty output (stride 1x1, padding 0x0, dilation 1x1): input (2, 3, 2, "
                 "9), weight (8, 3, 3, 5)"));
  BOOST_CHECK_EXCEPTION(
      Conv2d(3, 6, 3, gen, Conv2dOptions(1, 0, 1, 2)), ValueError,
      message_is("Conv2d: in and out channels must be divisible by groups: in 3, out 6, groups 2"));
  BOOST_CHECK_THROW(Conv2d(0, 6, 3, gen), ValueError);
}

BOOST_AUTO_TEST_SUITE_END()
