// Generator: reproducibility (seed, state, thread count) and the moments of
// its distributions on 1e5 draws, within 5 standard errors of the exact
// values (fixed seeds, so the checks are deterministic).
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "framework/generator.h"
#include "framework/parallel.h"
#include "tests/test_messages.h"

using namespace xgrad;

namespace {
constexpr std::size_t kDraws = 100000;

double mean(const Array& a) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a.at(i);
  return s / double(a.size());
}

double variance(const Array& a) {
  const double m = mean(a);
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += (a.at(i) - m) * (a.at(i) - m);
  return s / double(a.size() - 1);
}

using xgrad::testing::message_is;
}  // namespace

BOOST_AUTO_TEST_SUITE(framework_generator_tests)

BOOST_AUTO_TEST_CASE(same_seed_same_values_different_seeds_differ) {
  Generator a(42), b(42), c(43);
  Array ua = a.uniform({1000}, 0, 1, kFloat64);
  Array ub = b.uniform({1000}, 0, 1, kFloat64);
  Array uc = c.uniform({1000}, 0, 1, kFloat64);
  BOOST_TEST(max_abs_diff(ua, ub) == 0.0);
  std::size_t equal = 0;
  for (std::size_t i = 0; i < 1000; ++i) equal += ua.at(i) == uc.at(i);
  BOOST_TEST(equal == 0u);
  BOOST_TEST(max_abs_diff(a.normal({50}, 0, 1, kFloat64), b.normal({50}, 0, 1, kFloat64)) == 0.0);
  // The stream advances: the next draw differs from the first.
  BOOST_TEST(max_abs_diff(a.uniform({1000}, 0, 1, kFloat64), ua) > 0.0);
}

BOOST_AUTO_TEST_CASE(uniform_moments) {
  // U[-2, 3): mean 0.5, variance 25/12; the variance of (x - mean)² is
  // 5^4 (1/80 - 1/144).
  Generator gen(1);
  Array u = gen.uniform({kDraws}, -2, 3, kFloat64);
  const double n = double(kDraws);
  BOOST_TEST(std::abs(mean(u) - 0.5) < 5 * std::sqrt(25.0 / 12 / n));
  BOOST_TEST(std::abs(variance(u) - 25.0 / 12) < 5 * std::sqrt(625 * (1.0 / 80 - 1.0 / 144) / n));
  auto [lo, hi] = std::minmax_element(u.data<double>(), u.data<double>() + u.size());
  BOOST_TEST(*lo >= -2.0);
  BOOST_TEST(*hi < 3.0);
}

BOOST_AUTO_TEST_CASE(normal_moments) {
  // N(1, 2²): the mean's standard error is 2/sqrt(n), the sample standard
  // deviation's about 2/sqrt(2n).
  Generator gen(2);
  Array z = gen.normal({kDraws}, 1, 2, kFloat64);
  const double n = double(kDraws);
  BOOST_TEST(std::abs(mean(z) - 1.0) < 5 * 2 / std::sqrt(n));
  BOOST_TEST(std::abs(std::sqrt(variance(z)) - 2.0) < 5 * 2 / std::sqrt(2 * n));
  // Symmetry: about half the draws fall below the mean.
  std::size_t below = 0;
  for (std::size_t i = 0; i < z.size(); ++i) below += z.at(i) < 1.0;
  BOOST_TEST(std::abs(double(below) / n - 0.5) < 5 * std::sqrt(0.25 / n));
}

BOOST_AUTO_TEST_CASE(bernoulli_rate_within_a_binomial_bound) {
  Generator gen(3);
  const double p = 0.3;
  Array b = gen.bernoulli({kDraws}, p, kFloat32);
  std::size_t ones = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    BOOST_TEST_REQUIRE((b.at(i) == 0.0 || b.at(i) == 1.0));
    ones += b.at(i) == 1.0;
  }
  const double n = double(kDraws);
  BOOST_TEST(std::abs(double(ones) / n - p) < 5 * std::sqrt(p * (1 - p) / n));
  // The extremes are exact.
  BOOST_TEST(mean(gen.bernoulli({100}, 0.0, kFloat64)) == 0.0);
  BOOST_TEST(mean(gen.bernoulli({100}, 1.0, kFloat64)) == 1.0);
}

BOOST_AUTO_TEST_CASE(permutation_is_a_permutation) {
  Generator gen(4);
  std::vector<std::size_t> p = gen.permutation(1000);
  std::vector<std::size_t> sorted = p;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::size_t> identity(1000);
  std::iota(identity.begin(), identity.end(), std::size_t(0));
  BOOST_TEST(sorted == identity);
  BOOST_TEST(p != identity);
  BOOST_TEST(gen.permutation(1000) != p);
  BOOST_TEST(gen.permutation(0).empty());
  BOOST_TEST(gen.permutation(1) == std::vector<std::size_t>({0}));
}

BOOST_AUTO_TEST_CASE(values_do_not_depend_on_the_thread_count) {
  const Shape shape{1000000};
  Array u1, u2, n1, n2, b1, b2;
  {
    ThreadLimit limit(1);
    Generator gen(5);
    u1 = gen.uniform(shape, 0, 1, kFloat32);
    n1 = gen.normal(shape, 0, 1, kFloat64);
    b1 = gen.bernoulli(shape, 0.5, kFloat32);
  }
  {
    ThreadLimit limit(2);
    Generator gen(5);
    u2 = gen.uniform(shape, 0, 1, kFloat32);
    n2 = gen.normal(shape, 0, 1, kFloat64);
    b2 = gen.bernoulli(shape, 0.5, kFloat32);
  }
  BOOST_TEST(max_abs_diff(u1, u2) == 0.0);
  BOOST_TEST(max_abs_diff(n1, n2) == 0.0);
  BOOST_TEST(max_abs_diff(b1, b2) == 0.0);
}

BOOST_AUTO_TEST_CASE(set_state_reproduces_a_stream) {
  Generator gen(6);
  gen.uniform({17}, 0, 1, kFloat64);
  BOOST_TEST(gen.offset() == 17u);
  const std::uint64_t seed = gen.seed(), offset = gen.offset();
  Array first = gen.normal({100}, 0, 1, kFloat64);
  Array after = gen.uniform({10}, 0, 1, kFloat64);
  Generator other(999);
  other.set_state(seed, offset);
  BOOST_TEST(max_abs_diff(other.normal({100}, 0, 1, kFloat64), first) == 0.0);
  BOOST_TEST(max_abs_diff(other.uniform({10}, 0, 1, kFloat64), after) == 0.0);
  // Counter-based: one draw of 20 equals two draws of 10.
  Generator whole(7), halves(7);
  Array w = whole.uniform({20}, 0, 1, kFloat64);
  Array h1 = halves.uniform({10}, 0, 1, kFloat64);
  Array h2 = halves.uniform({10}, 0, 1, kFloat64);
  for (std::size_t i = 0; i < 10; ++i) {
    BOOST_TEST(w.at(i) == h1.at(i));
    BOOST_TEST(w.at(10 + i) == h2.at(i));
  }
}

BOOST_AUTO_TEST_CASE(bad_parameters_are_value_errors) {
  Generator gen;
  BOOST_CHECK_EXCEPTION(gen.bernoulli({2}, 1.5), ValueError,
                        message_is("bernoulli: p must be in [0, 1]"));
  BOOST_CHECK_EXCEPTION(gen.normal({2}, 0, -1), ValueError,
                        message_is("normal: stddev must be non-negative"));
  BOOST_CHECK_EXCEPTION(gen.uniform({2}, 1, 0), ValueError,
                        message_is("uniform: low must not exceed high"));
}

BOOST_AUTO_TEST_SUITE_END()
