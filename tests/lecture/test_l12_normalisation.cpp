// L12: normalisation: mean 0 / variance 1, or min 0 / max 1. The slide's
// x ← (x − mean)/variance does not give variance 1 (docs/lecture.md, note on
// L12); dividing by the standard deviation does. Checked: both transforms,
// the slide's formula's variance 1/var(x), and that on badly scaled data the
// normalised features reach a given loss in fewer gradient-descent epochs.
// The framework's Standardizer and MinMaxScaler (framework/data/normalize.h) are
// compared with `transform` below, the slide's formulas written out by hand.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/data/normalize.h"
#include "framework/factory.h"
#include "models/lecture/reference_bridge.h"
#include "ops/binary_cross_entropy.h"
#include "ops/linear.h"

using namespace xgrad;
namespace ref = lecture_ref;

namespace {

// Column statistics of x (n, d): population mean and variance, min, max.
struct Stats {
  std::vector<double> mean, var, min, max;
};

Stats column_stats(const Array& x) {
  const std::size_t n = x.shape()[0], d = x.shape()[1];
  Stats s{std::vector<double>(d, 0.0), std::vector<double>(d, 0.0),
          std::vector<double>(d, INFINITY), std::vector<double>(d, -INFINITY)};
  for (std::size_t j = 0; j < d; ++j) {
    for (std::size_t i = 0; i < n; ++i) s.mean[j] += x.at(i * d + j) / double(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double v = x.at(i * d + j);
      s.var[j] += (v - s.mean[j]) * (v - s.mean[j]) / double(n);
      s.min[j] = std::min(s.min[j], v);
      s.max[j] = std::max(s.max[j], v);
    }
  }
  return s;
}

// x ← (x − shift_j) / scale_j(stats), column by column.
template <class Scale, class Shift>
Array transform(const Array& x, Shift shift, Scale scale) {
  const Stats s = column_stats(x);
  const std::size_t n = x.shape()[0], d = x.shape()[1];
  Array out = Array::empty(x.shape(), kFloat64);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < d; ++j) {
      out.set(i * d + j, (x.at(i * d + j) - shift(s, j)) / scale(s, j));
    }
  }
  return out;
}

auto mean_of = [](const Stats& s, std::size_t j) { return s.mean[j]; };
auto min_of = [](const Stats& s, std::size_t j) { return s.min[j]; };
auto stddev_of = [](const Stats& s, std::size_t j) { return std::sqrt(s.var[j]); };
auto variance_of = [](const Stats& s, std::size_t j) { return s.var[j]; };
auto range_of = [](const Stats& s, std::size_t j) { return s.max[j] - s.min[j]; };

// Badly scaled features: x1 ~ N(0, 1), x2 ~ 5000 + 1000 N(0, 1); labels from
// a noisy linear rule that weighs both equally after scaling.
struct Data {
  Tensor X, y;
};

Data badly_scaled() {
  Generator gen(121);
  const std::size_t n = 200;
  Array x = gen.normal({n, 2}, 0.0, 1.0, kFloat64);
  Array noise = gen.normal({n}, 0.0, 0.5, kFloat64);
  Array y = Array::empty({n, 1}, kFloat64);
  for (std::size_t i = 0; i < n; ++i) {
    const double x1 = x.at(2 * i), x2 = x.at(2 * i + 1);
    x.set(2 * i + 1, 5000 + 1000 * x2);
    y.set(i, x1 + x2 + noise.at(i) > 0 ? 1.0 : 0.0);
  }
  return {Tensor(std::move(x)), Tensor(std::move(y))};
}

// Epochs of full-batch GD on logistic regression until the mean cross-entropy
// is <= target (max_epochs if never). α = 4 / trace(X̃ᵀX̃ / n), X̃ = [1 | X],
// the same rule for both datasets: the inverse of a bound on the curvature.
std::size_t epochs_to_reach(const Tensor& X, const Tensor& y, double target,
                            std::size_t max_epochs) {
  const std::size_t n = X.shape()[0], d = X.shape()[1];
  double trace = 1.0;
  for (std::size_t k = 0; k < n * d; ++k) trace += X.value().at(k) * X.value().at(k) / double(n);
  const double alpha = 4.0 / trace;
  Tensor w = zeros({1, d}, kFloat64).requires_grad_(), b = zeros({1}, kFloat64).requires_grad_();
  const std::vector<Parameter> params{{"w", w, ParamRole::kWeight}, {"b", b, ParamRole::kBias}};
  for (std::size_t e = 0; e < max_epochs; ++e) {
    Tensor J = binary_cross_entropy_with_logits(linear(X, w, b), y);
    if (J.item() <= target) return e;
    J.backward();
    ref::gd_step(params, alpha);
  }
  return max_epochs;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lecture_l12_normalisation_tests)

BOOST_AUTO_TEST_CASE(standardising_gives_mean_0_and_variance_1) {
  const Data d = badly_scaled();
  const Array by_hand = transform(d.X.value(), mean_of, stddev_of);
  const Array framework = Standardizer().fit_transform(d.X.value());
  BOOST_TEST(max_abs_diff(framework, by_hand) <= 1e-12);
  for (const Array* a : {&by_hand, &framework}) {
    const Stats s = column_stats(*a);
    for (std::size_t j = 0; j < 2; ++j) {
      BOOST_TEST(std::abs(s.mean[j]) <= 1e-12);
      BOOST_TEST(std::abs(s.var[j] - 1.0) <= 1e-12);
    }
  }
}

BOOST_AUTO_TEST_CASE(dividing_by_the_variance_does_not) {
  // The slide's formula: var((x − mean)/var(x)) = var(x)/var(x)² = 1/var(x).
  const Data d = badly_scaled();
  const Stats raw = column_stats(d.X.value());
  const Stats s = column_stats(transform(d.X.value(), mean_of, variance_of));
  for (std::size_t j = 0; j < 2; ++j) {
    BOOST_TEST(std::abs(s.mean[j]) <= 1e-12);
    BOOST_TEST(std::abs(s.var[j] * raw.var[j] - 1.0) <= 1e-12);
  }
  BOOST_TEST(s.var[1] < 1e-4);  // x2: variance about 10⁶ before, 10⁻⁶ after
}

BOOST_AUTO_TEST_CASE(min_max_gives_0_and_1) {
  const Data d = badly_scaled();
  const Array by_hand = transform(d.X.value(), min_of, range_of);
  BOOST_TEST(max_abs_diff(MinMaxScaler().fit_transform(d.X.value()), by_hand) <= 1e-15);
  const Stats s = column_stats(by_hand);
  for (std::size_t j = 0; j < 2; ++j) {
    BOOST_TEST(s.min[j] == 0.0);
    BOOST_TEST(std::abs(s.max[j] - 1.0) <= 1e-15);
  }
}

BOOST_AUTO_TEST_CASE(normalised_features_need_fewer_epochs) {
  const Data d = badly_scaled();
  Tensor standardised(Standardizer().fit_transform(d.X.value()));
  const double target = 0.35;
  const std::size_t raw = epochs_to_reach(d.X, d.y, target, 3000);
  const std::size_t normalised = epochs_to_reach(standardised, d.y, target, 3000);
  Tensor scaled(MinMaxScaler().fit_transform(d.X.value()));
  const std::size_t min_max = epochs_to_reach(scaled, d.y, target, 3000);
  BOOST_TEST_MESSAGE("L12: epochs to J <= " << target << ": raw " << raw << ", standardised "
                                            << normalised << ", min-max " << min_max);
  BOOST_TEST(normalised < 3000u);
  BOOST_TEST(normalised < raw);
  BOOST_TEST(min_max < raw);
}

BOOST_AUTO_TEST_SUITE_END()
