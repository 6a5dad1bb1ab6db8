// Tests for models/init.h: each initialiser's statistics against its
// closed form (bounds exactly; mean and variance within a few standard
// errors of a seeded sample), fans for linear and conv shapes, dtype kept,
// reproducible and thread-count independent draws, init_module by role,
// parse_init, and the errors.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/factory.h"
#include "framework/parallel.h"
#include "models/init.h"
#include "models/mlp.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::message_is;

namespace {
struct Stats {
  double mean = 0, var = 0, max_abs = 0, min = INFINITY, max = -INFINITY;
};

Stats stats_of(const Tensor& t) {
  Stats s;
  const std::size_t n = t.size();
  for (std::size_t i = 0; i < n; ++i) s.mean += t.value().at(i);
  s.mean /= n;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = t.value().at(i);
    s.var += (v - s.mean) * (v - s.mean);
    s.max_abs = std::max(s.max_abs, std::abs(v));
    s.min = std::min(s.min, v);
    s.max = std::max(s.max, v);
  }
  s.var /= n - 1;
  return s;
}

Tensor param(const Shape& shape, DType dtype = kFloat64) {
  return Tensor(Array::zeros(shape, dtype), true);
}

// For n draws with variance σ² the sample mean has standard error σ/√n and
// the sample variance a relative standard error of at most √(2/n) (normal)
// or √(0.8/n) (uniform); the checks allow 5 standard errors.
void check_normal(const Tensor& t, double sd) {
  Stats s = stats_of(t);
  const double n = double(t.size());
  BOOST_TEST(std::abs(s.mean) <= 5 * sd / std::sqrt(n));
  BOOST_TEST(std::abs(s.var / (sd * sd) - 1) <= 5 * std::sqrt(2 / n));
}

void check_uniform(const Tensor& t, double low, double high) {
  Stats s = stats_of(t);
  const double n = double(t.size()), var = (high - low) * (high - low) / 12;
  BOOST_TEST(s.min >= low);
  BOOST_TEST(s.max < high);
  BOOST_TEST(s.min < low + 0.01 * (high - low));  // the draws fill the interval
  BOOST_TEST(s.max > high - 0.01 * (high - low));
  BOOST_TEST(std::abs(s.mean - (low + high) / 2) <= 5 * std::sqrt(var / n));
  BOOST_TEST(std::abs(s.var / var - 1) <= 5 * std::sqrt(0.8 / n));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(models_init_tests)

BOOST_AUTO_TEST_CASE(fans_of_linear_and_conv_weights) {
  Fans f = compute_fans({256, 784});
  BOOST_TEST(f.in == 784u);
  BOOST_TEST(f.out == 256u);
  Fans c = compute_fans({16, 8, 3, 3});
  BOOST_TEST(c.in == 8u * 9);
  BOOST_TEST(c.out == 16u * 9);
  BOOST_CHECK_EXCEPTION(
      compute_fans({10}, "xavier_uniform"), ShapeError,
      message_is(
          "xavier_uniform: needs a weight of at least 2 dimensions (out, in, ...): shape (10)"));
}

BOOST_AUTO_TEST_CASE(constant_and_zeros) {
  Tensor t = param({3, 4});
  constant_(t, 0.25);
  BOOST_TEST(stats_of(t).min == 0.25);
  BOOST_TEST(stats_of(t).max == 0.25);
  zeros_(t);
  BOOST_TEST(stats_of(t).max_abs == 0.0);
}

BOOST_AUTO_TEST_CASE(normal_and_uniform) {
  Generator gen(1);
  Tensor t = param({300, 200});
  normal_(t, 0.01, gen);
  check_normal(t, 0.01);
  normal_(t, 2.0, gen, 5.0);
  Stats s = stats_of(t);
  BOOST_TEST(std::abs(s.mean - 5.0) <= 5 * 2.0 / std::sqrt(60000.0));
  uniform_(t, -0.3, 0.7, gen);
  check_uniform(t, -0.3, 0.7);
}

BOOST_AUTO_TEST_CASE(xavier) {
  Generator gen(2);
  Tensor t = param({200, 300});
  xavier_uniform_(t, gen);
  const double r = std::sqrt(6.0 / 500);  // √(6/(fan_in + fan_out))
  check_uniform(t, -r, r);
  xavier_uniform_(t, gen, 2.0);
  check_uniform(t, -2 * r, 2 * r);
  xavier_normal_(t, gen);
  check_normal(t, std::sqrt(2.0 / 500));
}

BOOST_AUTO_TEST_CASE(he) {
  Generator gen(3);
  Tensor t = param({200, 300});
  he_uniform_(t, gen);
  check_uniform(t, -std::sqrt(6.0 / 300), std::sqrt(6.0 / 300));  // √(6/fan_in)
  he_normal_(t, gen);
  check_normal(t, std::sqrt(2.0 / 300));  // √(2/fan_in)
  Tensor conv = param({64, 32, 5, 5});
  he_normal_(conv, gen);
  check_normal(conv, std::sqrt(2.0 / (32 * 25)));
}

BOOST_AUTO_TEST_CASE(dtype_kept_reproducible_and_thread_independent) {
  Tensor a = param({300, 400}, kFloat32), b = param({300, 400}, kFloat32);
  {
    ThreadLimit limit(1);
    Generator gen(4);
    xavier_normal_(a, gen);
  }
  {
    ThreadLimit limit(2);
    Generator gen(4);
    xavier_normal_(b, gen);
  }
  BOOST_TEST((a.dtype() == kFloat32));
  BOOST_TEST(a.requires_grad());
  BOOST_TEST(max_abs_diff(a.value(), b.value()) == 0.0);
}

BOOST_AUTO_TEST_CASE(init_module_by_role) {
  Generator gen(5);
  Mlp m({{50, 40, 10}, Activation::kReLU}, gen);
  init_module(m, Init::xavier_uniform(), Init::zeros(), gen);
  for (const Parameter& p : m.parameters()) {
    Stats s = stats_of(p.tensor);
    if (p.role == ParamRole::kBias) {
      BOOST_TEST(s.max_abs == 0.0, p.name);
    } else {
      const double r = std::sqrt(6.0 / double(p.tensor.shape()[0] + p.tensor.shape()[1]));
      BOOST_TEST(s.max_abs <= r, p.name);
      BOOST_TEST(s.max_abs > 0.5 * r, p.name);
    }
  }
  BOOST_CHECK_EXCEPTION(
      init_module(m, Init::he_normal(), Init::xavier_uniform(), gen), ShapeError,
      message_is(
          "init_module: 0.bias: xavier_uniform: needs a weight of at least 2 dimensions (out, "
          "in, ...): shape (40)"));
  BOOST_CHECK_EXCEPTION(init_module(m, Init::normal(-1.0), Init::zeros(), gen), ValueError,
                        message_is("init_module: 0.weight: normal: stddev must be non-negative"));
}

BOOST_AUTO_TEST_CASE(names_parse_back) {
  for (const Init& i : {Init::zeros(), Init::constant(0.5), Init::normal(0.01), Init::normal(1, 2),
                        Init::uniform(-0.1, 0.1), Init::xavier_uniform(), Init::xavier_normal(2),
                        Init::he_uniform(), Init::he_normal()}) {
    Init back = parse_init(i.name());
    BOOST_TEST((back.kind == i.kind), i.name());
    BOOST_TEST(back.a == i.a, i.name());
    BOOST_TEST(back.b == i.b, i.name());
  }
  BOOST_TEST(Init::uniform(-0.1, 0.1).name() == "uniform:-0.1:0.1");
  BOOST_TEST(Init::xavier_normal(2).name() == "xavier_normal:2");
  BOOST_CHECK_EXCEPTION(parse_init("normal:x"), ValueError,
                        message_is("parse_init: 'normal:x': 'x' is not a number"));
  BOOST_CHECK_EXCEPTION(parse_init("he_normal:1"), ValueError,
                        message_is("parse_init: 'he_normal:1': expected zeros, constant:c, "
                                   "normal:std[:mean], uniform:a:b, xavier_uniform[:gain], "
                                   "xavier_normal[:gain], he_uniform or he_normal"));
}

BOOST_AUTO_TEST_SUITE_END()
