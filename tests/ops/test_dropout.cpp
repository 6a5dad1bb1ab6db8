// Tests for ops/dropout.h: the mask against Generator::uniform01 by hand,
// inverted scaling, gradient through the saved mask, eval / p = 0 / p = 1,
// thread-count independence and the error messages.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "framework/parallel.h"
#include "ops/dropout.h"

using namespace xgrad;

namespace {
auto says(const std::string& expected) {
  return [expected](const Error& e) {
    BOOST_TEST_INFO("what(): " << e.what());
    return std::string(e.what()) == expected;
  };
}
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_dropout_tests)

BOOST_AUTO_TEST_CASE(values_match_a_hand_drawn_mask) {
  Generator data(1);
  Tensor x = Tensor(data.normal({3, 5}, 0, 1, kFloat64));
  const double p = 0.4;
  Generator gen(42);
  gen.advance(7);  // the mask starts at the generator's current offset
  Tensor y = dropout(x, p, true, gen);
  BOOST_TEST(gen.offset() == 7u + 15u);
  for (std::size_t i = 0; i < 15; ++i) {
    const bool dropped = Generator::uniform01(42, 7 + i) < p;
    const double expected = dropped ? 0.0 : x.value().at(i) / (1 - p);
    BOOST_TEST(y.value().at(i) == expected, "element " << i);
  }
}

BOOST_AUTO_TEST_CASE(mask_helper_draws_the_same_mask) {
  Generator a(9), b(9);
  Array mask = dropout_mask({4, 6}, 0.3, a, kFloat64);
  Tensor y = dropout(ones({4, 6}, kFloat64), 0.3, true, b);
  for (std::size_t i = 0; i < 24; ++i) {
    BOOST_TEST(mask.at(i) == (Generator::uniform01(9, i) < 0.3 ? 0.0 : 1.0));
    BOOST_TEST(y.value().at(i) == mask.at(i) / 0.7);
  }
}

BOOST_AUTO_TEST_CASE(backward_uses_the_forward_mask) {
  Generator data(2);
  Tensor x = Tensor(data.normal({2, 7}, 0, 1, kFloat64), true);
  Generator gen(3);
  Tensor y = dropout(x, 0.5, true, gen);
  Array u = data.normal({2, 7}, 0, 1, kFloat64);
  y.backward(u);
  for (std::size_t i = 0; i < 14; ++i) {
    const bool kept = y.value().at(i) != 0;
    BOOST_TEST(kept == !(Generator::uniform01(3, i) < 0.5));
    BOOST_TEST(x.grad().at(i) == (kept ? u.at(i) * 2.0 : 0.0));
  }
}

BOOST_AUTO_TEST_CASE(gradcheck_with_a_fixed_mask) {
  Generator data(4);
  Array mask = dropout_mask({3, 4}, 0.5, data, kFloat64);
  auto f = [mask](const std::vector<Tensor>& in) { return dropout_with_mask(in[0], mask, 2.0); };
  GradcheckResult r =
      gradcheck("dropout_with_mask", f, {Tensor(data.normal({3, 4}, 0, 1, kFloat64))});
  BOOST_TEST(r.pass(), r.message());
}

BOOST_AUTO_TEST_CASE(eval_and_p_zero_are_the_identity) {
  Tensor x = tensor({{1.0, -2.0}, {3.0, 4.5}}, kFloat64).requires_grad_();
  Generator gen(5);
  Tensor y = dropout(x, 0.5, false, gen);
  BOOST_TEST(y.node() == x.node());  // the input itself: nothing recorded
  BOOST_TEST(gen.offset() == 0u);    // and nothing drawn
  Tensor z = dropout(x, 0.0, true, gen);
  BOOST_TEST(z.node() == x.node());
  BOOST_TEST(gen.offset() == 0u);
}

BOOST_AUTO_TEST_CASE(p_one_gives_zeros_and_zero_gradient) {
  Tensor x = tensor({{1.0, -2.0, 3.0}}, kFloat64).requires_grad_();
  Generator gen(6);
  Tensor y = dropout(x, 1.0, true, gen);
  y.backward(Array::full({1, 3}, 1.0, kFloat64));
  for (std::size_t i = 0; i < 3; ++i) {
    BOOST_TEST(y.value().at(i) == 0.0);
    BOOST_TEST(x.grad().at(i) == 0.0);
  }
}

BOOST_AUTO_TEST_CASE(float32_keeps_its_dtype) {
  Generator gen(7);
  Tensor y = dropout(ones({5}), 0.2, true, gen);
  BOOST_TEST((y.dtype() == kFloat32));
  for (std::size_t i = 0; i < 5; ++i) {
    BOOST_TEST((y.value().at(i) == 0.0 || y.value().at(i) == double(float(1.0 / 0.8))));
  }
}

BOOST_AUTO_TEST_CASE(mask_does_not_depend_on_thread_count) {
  const Shape shape{300, 400};  // above the grain of random draws, so it runs in parallel
  Tensor x = ones(shape);
  Array one, two;
  {
    ThreadLimit limit(1);
    Generator gen(8);
    one = dropout(x, 0.3, true, gen).value();
  }
  {
    ThreadLimit limit(2);
    Generator gen(8);
    two = dropout(x, 0.3, true, gen).value();
  }
  BOOST_TEST(max_abs_diff(one, two) == 0.0);
}

BOOST_AUTO_TEST_CASE(bad_mask_shape_is_a_shape_error) {
  Tensor x = zeros({2, 3}, kFloat64);
  BOOST_CHECK_EXCEPTION(
      dropout_with_mask(x, Array::zeros({3, 2}, kFloat64), 2.0), ShapeError,
      says("dropout_with_mask: mask must have the input's shape: input (2, 3), mask (3, 2)"));
  BOOST_CHECK_EXCEPTION(dropout_with_mask(x, Array::zeros({2, 3}, kFloat32), 2.0), DTypeError,
                        says("dropout_with_mask: dtypes must match: input float64, mask float32"));
}

BOOST_AUTO_TEST_CASE(p_outside_the_unit_interval_is_a_value_error) {
  Generator gen(0);
  Tensor x = zeros({2});
  BOOST_CHECK_EXCEPTION(dropout(x, 1.5, true, gen), ValueError,
                        says("dropout: p must be in [0, 1], got 1.5"));
  BOOST_CHECK_EXCEPTION(dropout(x, -0.1, false, gen), ValueError,
                        says("dropout: p must be in [0, 1], got -0.1"));
  BOOST_CHECK_THROW(dropout(x, std::nan(""), true, gen), ValueError);
}

BOOST_AUTO_TEST_SUITE_END()
