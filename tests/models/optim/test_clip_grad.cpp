// Tests for models/optim/clip_grad.h: clip_grad_norm_ for p = 2, 1, 3 and ∞
// against hand-computed norms and factors (PyTorch's rule c = max / (‖g‖ +
// 1e-6), applied only when c < 1), parameters without a gradient or frozen,
// non-finite norms, clip_grad_value_, bad arguments, and a thread-count check.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>

#include "framework/factory.h"
#include "framework/generator.h"
#include "framework/node.h"
#include "framework/parallel.h"
#include "models/optim/clip_grad.h"
#include "tests/test_messages.h"
#include "tests/test_values.h"

using namespace xgrad;
using xgrad::testing::check_values;
using xgrad::testing::message_is;

namespace {
// A leaf that requires grad and holds `grad` as its gradient.
Tensor with_grad(const std::vector<double>& grad) {
  Tensor t(Array::zeros({grad.size()}, kFloat64), true);
  Array g = Array::empty({grad.size()}, kFloat64);
  for (std::size_t i = 0; i < grad.size(); ++i) g.set(i, grad[i]);
  t.backward(g);
  return t;
}

std::vector<double> scaled(std::vector<double> v, double c) {
  for (double& x : v) x *= c;
  return v;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(models_optim_clip_grad_tests)

// g = (3, −4 | 12): ‖g‖₂ = √(9 + 16 + 144) = 13.
BOOST_AUTO_TEST_CASE(norm_2_scales_every_gradient_by_one_factor) {
  Tensor a = with_grad({3, -4}), b = with_grad({12});
  const double total = clip_grad_norm_({a, b}, 6.5);
  BOOST_TEST(total == 13.0);
  const double c = 6.5 / (13 + 1e-6);
  check_values(a.grad(), scaled({3, -4}, c), 1e-15);
  check_values(b.grad(), {12 * c}, 1e-15);
  // The clipped norm is max_norm (up to PyTorch's 1e-6).
  BOOST_TEST(std::abs(clip_grad_norm_({a, b}, 100.0) - 6.5) < 1e-6);
}

BOOST_AUTO_TEST_CASE(a_norm_below_the_maximum_leaves_the_gradients_alone) {
  Tensor a = with_grad({3, -4});
  BOOST_TEST(clip_grad_norm_(a, 5.0) == 5.0);  // c = 5 / (5 + 1e-6) < 1: scaled, barely
  check_values(a.grad(), scaled({3, -4}, 5 / (5 + 1e-6)), 1e-15);
  Tensor b = with_grad({3, -4});
  BOOST_TEST(clip_grad_norm_(b, 5.00001) == 5.0);  // c > 1: untouched, bit for bit
  check_values(b.grad(), {3, -4});
  BOOST_TEST(clip_grad_norm_(b, std::numeric_limits<double>::infinity()) == 5.0);
  check_values(b.grad(), {3, -4});
}

BOOST_AUTO_TEST_CASE(other_norm_types) {
  // ∞: max |g| = 12; 1: 3 + 4 + 12 = 19; 3: (27 + 64 + 1728)^(1/3).
  const double inf = std::numeric_limits<double>::infinity();
  Tensor a = with_grad({3, -4}), b = with_grad({12});
  BOOST_TEST(clip_grad_norm_({a, b}, 6.0, inf) == 12.0);
  check_values(a.grad(), scaled({3, -4}, 6 / (12 + 1e-6)), 1e-15);
  check_values(b.grad(), {12 * 6 / (12 + 1e-6)}, 1e-14);
  Tensor c = with_grad({3, -4}), d = with_grad({12});
  BOOST_TEST(clip_grad_norm_({c, d}, 1e3, 1.0) == 19.0);
  check_values(c.grad(), {3, -4});
  Tensor e = with_grad({3, -4}), f = with_grad({12});
  BOOST_TEST(std::abs(clip_grad_norm_({e, f}, 1e3, 3.0) - std::cbrt(1819.0)) < 1e-12);
}

// Module parameters (std::vector<Parameter>); one without a gradient and one
// frozen after its backward are left out of the norm and left alone.
BOOST_AUTO_TEST_CASE(parameters_without_a_gradient_take_no_part) {
  Tensor a = with_grad({3, -4}), frozen = with_grad({100}), none(Array::zeros({2}, kFloat64), true);
  frozen.requires_grad_(false);
  std::vector<Parameter> params{{"a", a, ParamRole::kWeight},
                                {"frozen", frozen, ParamRole::kWeight},
                                {"none", none, ParamRole::kBias}};
  BOOST_TEST(clip_grad_norm_(params, 2.5) == 5.0);
  check_values(a.grad(), scaled({3, -4}, 2.5 / (5 + 1e-6)), 1e-15);
  BOOST_TEST(frozen.node()->grad.at(0) == 100.0);
  BOOST_TEST(!none.has_grad());
  BOOST_TEST(clip_grad_norm_(std::vector<Tensor>{none}, 1.0) == 0.0);  // PyTorch: 0 when none
}

BOOST_AUTO_TEST_CASE(float32_gradients) {
  Tensor a(Array::zeros({2}, kFloat32), true);
  a.backward(tensor({30.0f, 40.0f}).value());
  BOOST_TEST(clip_grad_norm_(a, 5.0) == 50.0);
  check_values(a.grad(), {float(30 * (5 / (50 + 1e-6))), float(40 * (5 / (50 + 1e-6)))});
}

// Reference values from libtorch 1.13's torch::nn::utils::clip_grad_norm_
// (a throw-away program, float32 gradients (0.5, −1.25, 2, 3.5 | −0.75, 4.25),
// max_norm 1.5); xgrad accumulates the norm in float64, so the last digits
// may differ.
BOOST_AUTO_TEST_CASE(matches_libtorch_in_float32) {
  struct Case {
    double p, norm;
    std::vector<double> a, b;
  };
  const double inf = std::numeric_limits<double>::infinity();
  const Case cases[] = {
      {2,
       6.05702066,
       {0.123823233, -0.309558094, 0.495292932, 0.866762638},
       {-0.185734853, 1.05249751}},
      {1,
       12.25,
       {0.0612244867, -0.153061211, 0.244897947, 0.428571403},
       {-0.0918367282, 0.520408154}},
      {3,
       5.06762362,
       {0.147998333, -0.369995832, 0.591993332, 1.03598833},
       {-0.221997499, 1.25798583}},
      {inf, 4.25, {0.176470548, -0.441176355, 0.705882192, 1.23529387}, {-0.264705837, 1.49999964}},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT("norm_type " << c.p) {
      Tensor a(Array::zeros({4}, kFloat32), true), b(Array::zeros({2}, kFloat32), true);
      a.backward(tensor({0.5f, -1.25f, 2.0f, 3.5f}).value());
      b.backward(tensor({-0.75f, 4.25f}).value());
      BOOST_TEST(std::abs(clip_grad_norm_({a, b}, 1.5, c.p) - c.norm) < 1e-6 * c.norm);
      check_values(a.grad(), c.a, 2e-7);
      check_values(b.grad(), c.b, 2e-7);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_non_finite_norm) {
  const double nan = std::nan("");
  Tensor a = with_grad({3, nan});
  BOOST_CHECK_EXCEPTION(clip_grad_norm_(a, 1.0, 2.0, true), ValueError,
                        message_is("clip_grad_norm_: the total norm of order 2 of the gradients "
                                   "is nan, so it cannot be clipped (pass error_if_nonfinite = "
                                   "false to scale the gradients by it anyway)"));
  BOOST_TEST(a.grad().at(0) == 3.0);  // nothing changed
  BOOST_TEST(std::isnan(clip_grad_norm_(a, 1.0)));
  BOOST_TEST(std::isnan(a.grad().at(0)));  // scaled by NaN, as PyTorch
  const double inf = std::numeric_limits<double>::infinity();
  Tensor b = with_grad({3, inf});
  BOOST_TEST(clip_grad_norm_(b, 1.0, inf) == inf);
  BOOST_TEST(b.grad().at(0) == 0.0);  // c = 0
}

BOOST_AUTO_TEST_CASE(value_clamps_every_element) {
  const double nan = std::nan("");
  Tensor a = with_grad({3, -4, 0.5, nan}), b = with_grad({-0.25, 7});
  clip_grad_value_({a, b}, 1.0);
  BOOST_TEST(a.grad().at(0) == 1.0);
  BOOST_TEST(a.grad().at(1) == -1.0);
  BOOST_TEST(a.grad().at(2) == 0.5);
  BOOST_TEST(std::isnan(a.grad().at(3)));
  check_values(b.grad(), {-0.25, 1});
  std::vector<Parameter> params{{"b", b, ParamRole::kWeight}};
  clip_grad_value_(params, 0.0);
  check_values(b.grad(), {0, 0});
}

BOOST_AUTO_TEST_CASE(bad_arguments) {
  Tensor a = with_grad({1});
  BOOST_CHECK_EXCEPTION(clip_grad_norm_(a, -1.0), ValueError,
                        message_is("clip_grad_norm_: max_norm must be non-negative, got -1"));
  BOOST_CHECK_EXCEPTION(clip_grad_norm_(a, 1.0, 0.0), ValueError,
                        message_is("clip_grad_norm_: norm_type must be positive or inf, got 0"));
  BOOST_CHECK_EXCEPTION(clip_grad_norm_(a, 1.0, std::nan("")), ValueError,
                        message_is("clip_grad_norm_: norm_type must be positive or inf, got nan"));
  BOOST_CHECK_EXCEPTION(clip_grad_value_(a, -0.5), ValueError,
                        message_is("clip_grad_value_: clip_value must be non-negative, got -0.5"));
  BOOST_CHECK_EXCEPTION(clip_grad_norm_(std::vector<Tensor>{Tensor()}, 1.0), GraphError,
                        message_is("clip_grad_norm_: a parameter is an undefined tensor"));
  BOOST_TEST(a.grad().at(0) == 1.0);
}

BOOST_AUTO_TEST_CASE(same_bits_for_any_thread_count) {
  auto run = [](std::size_t threads) {
    ThreadLimit limit(threads);
    Generator gen(3);
    Tensor a(Array::zeros({100000}, kFloat32), true);
    a.backward(gen.normal({100000}, 0, 1, kFloat32));
    const double n = clip_grad_norm_(a, 1.0);
    return std::make_pair(n, a.grad());
  };
  auto [n1, g1] = run(1);
  auto [n2, g2] = run(2);
  BOOST_TEST(n1 == n2);
  BOOST_TEST(xgrad::testing::same_bits(g1, g2));
}

BOOST_AUTO_TEST_SUITE_END()
