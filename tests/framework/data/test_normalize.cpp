// Standardizer and MinMaxScaler (L12): statistics from the training set,
// applied unchanged to other sets; expected values by hand.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/data/normalize.h"
#include "framework/factory.h"
#include "framework/parallel.h"
#include "tests/test_messages.h"

using namespace xgrad;

namespace {

// Columns: 1..4 (mean 2.5, population variance 1.25), 10,10,10,10
// (constant), -3,0,0,3 (mean 0, variance 4.5).
Array train_set() {
  return Array(xt::xarray<double>{{1, 10, -3}, {2, 10, 0}, {3, 10, 0}, {4, 10, 3}});
}

double column_mean(const Array& a, std::size_t j) {
  std::size_t n = a.shape()[0], d = a.shape()[1];
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += a.at(i * d + j);
  return s / double(n);
}

double column_var(const Array& a, std::size_t j) {
  std::size_t n = a.shape()[0], d = a.shape()[1];
  double m = column_mean(a, j), s = 0;
  for (std::size_t i = 0; i < n; ++i) s += (a.at(i * d + j) - m) * (a.at(i * d + j) - m);
  return s / double(n);
}

using xgrad::testing::message_is;

}  // namespace

BOOST_AUTO_TEST_SUITE(framework_data_normalize_tests)

BOOST_AUTO_TEST_CASE(standardizer_statistics_by_hand) {
  Standardizer s;
  s.fit(train_set());
  BOOST_TEST(s.mean().shape() == (Shape{3}));
  BOOST_TEST(s.mean().at(0) == 2.5);
  BOOST_TEST(s.mean().at(1) == 10.0);
  BOOST_TEST(s.mean().at(2) == 0.0);
  BOOST_TEST(s.stddev().at(0) == std::sqrt(1.25));
  BOOST_TEST(s.stddev().at(1) == 1.0);  // constant column: guarded
  BOOST_TEST(s.stddev().at(2) == std::sqrt(4.5));
  Array z = s.transform(train_set());
  BOOST_TEST(z.at(0) == (1 - 2.5) / std::sqrt(1.25));
  BOOST_TEST(z.at(2) == -3 / std::sqrt(4.5));
}

BOOST_AUTO_TEST_CASE(training_set_gets_mean_0_and_std_1) {
  Standardizer s;
  Array z = s.fit_transform(train_set());
  for (std::size_t j : {0, 2}) {
    BOOST_TEST(std::abs(column_mean(z, j)) < 1e-15);
    BOOST_TEST(column_var(z, j) == 1.0, boost::test_tools::tolerance(1e-14));
  }
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(z.at(i * 3 + 1) == 0.0);  // constant -> 0
}

// docs/lecture.md, L12: the slide's (x - mean) / variance leaves
// variance 1/variance; the standard deviation gives 1.
BOOST_AUTO_TEST_CASE(dividing_by_the_variance_would_not_give_variance_1) {
  Array x = train_set();
  double var = column_var(x, 2);  // 4.5
  Array by_var = x;
  for (std::size_t i = 0; i < 4; ++i) by_var.set(i * 3 + 2, x.at(i * 3 + 2) / var);
  BOOST_TEST(column_var(by_var, 2) == 1 / var, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(column_var(Standardizer().fit_transform(x), 2) == 1.0,
             boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(test_set_uses_training_statistics) {
  Standardizer s;
  s.fit(train_set());
  Array test(xt::xarray<double>{{5, 12, 6}});
  Array z = s.transform(test);
  BOOST_TEST(z.at(0) == (5 - 2.5) / std::sqrt(1.25));
  BOOST_TEST(z.at(1) == 2.0);
  BOOST_TEST(z.at(2) == 6 / std::sqrt(4.5));
}

BOOST_AUTO_TEST_CASE(one_statistic_over_all_elements) {
  // Elements 0, 2, 4, 6 (two samples of 2x1 "images"): mean 3, variance 5.
  Array x = Array::empty({2, 2, 1}, kFloat32);
  for (std::size_t i = 0; i < 4; ++i) x.set(i, 2.0 * double(i));
  Standardizer s(NormalizeOver::kAll);
  Array z = s.fit_transform(x);
  BOOST_TEST(s.mean().shape() == Shape{});
  BOOST_TEST(s.mean().item() == 3.0);
  BOOST_TEST(s.stddev().item() == std::sqrt(5.0));
  BOOST_TEST((z.dtype() == kFloat32));
  BOOST_TEST(z.shape() == x.shape());
  BOOST_TEST(z.data<float>()[3] == float(3 / std::sqrt(5.0)));
  MinMaxScaler m(NormalizeOver::kAll);
  Array u = m.fit_transform(x);
  const float expected[] = {0, 1.0f / 3, 2.0f / 3, 1};
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(u.data<float>()[i] == expected[i]);
}

BOOST_AUTO_TEST_CASE(min_max_to_unit_interval) {
  MinMaxScaler m;
  Array u = m.fit_transform(train_set());
  const double expected[] = {0, 0, 0, 1 / 3.0, 0, 0.5, 2 / 3.0, 0, 0.5, 1, 0, 1};
  for (std::size_t i = 0; i < 12; ++i) BOOST_TEST(u.at(i) == expected[i]);
  Array test(xt::xarray<double>{{7, 10, -6}});
  Array v = m.transform(test);
  BOOST_TEST(v.at(0) == 2.0);  // outside the training range: outside [0, 1]
  BOOST_TEST(v.at(2) == -0.5);
}

BOOST_AUTO_TEST_CASE(state_round_trip) {
  Standardizer s;
  s.fit(train_set());
  NamedArrays state = s.state_dict();
  BOOST_TEST(state.at(0).first == "mean");
  BOOST_TEST(state.at(1).first == "std");
  Standardizer t(NormalizeOver::kAll);
  t.load_state_dict(state);
  Array test(xt::xarray<double>{{5, 12, 6}});
  BOOST_TEST(max_abs_diff(s.transform(test), t.transform(test)) == 0.0);
  MinMaxScaler m, n;
  m.fit(train_set());
  n.load_state_dict(m.state_dict());
  BOOST_TEST(max_abs_diff(m.transform(test), n.transform(test)) == 0.0);
  BOOST_CHECK_EXCEPTION(n.load_state_dict({{"min", m.min()}}), ValueError,
                        message_is<ValueError>("MinMaxScaler: load_state_dict: missing 'max'"));
}

BOOST_AUTO_TEST_CASE(errors) {
  Standardizer s;
  BOOST_CHECK_EXCEPTION(s.transform(train_set()), ValueError,
                        message_is<ValueError>("Standardizer: transform before fit"));
  s.fit(train_set());
  BOOST_CHECK_EXCEPTION(
      s.transform(Array::zeros({2, 4}, kFloat64)), ShapeError,
      message_is<ShapeError>("Standardizer: samples must match the fitted statistics: "
                             "x (2, 4), statistics (3)"));
  BOOST_CHECK_EXCEPTION(
      s.fit(Array::zeros({0, 3}, kFloat64)), ShapeError,
      message_is<ShapeError>("Standardizer: fit needs at least one sample: x (0, 3)"));
}

// Item 8: transform divided by the row count (SIGFPE on an empty test split).
BOOST_AUTO_TEST_CASE(zero_rows_are_a_clear_error) {
  Standardizer s;
  s.fit(train_set());
  BOOST_CHECK_EXCEPTION(
      s.transform(Array::zeros({0, 3}, kFloat64)), ShapeError,
      message_is<ShapeError>("Standardizer: transform needs at least one sample: x (0, 3)"));
  MinMaxScaler m;
  BOOST_CHECK_EXCEPTION(
      m.fit(Array::zeros({0, 3}, kFloat32)), ShapeError,
      message_is<ShapeError>("MinMaxScaler: fit needs at least one sample: x (0, 3)"));
  m.fit(train_set());
  BOOST_CHECK_EXCEPTION(
      m.transform(Array::zeros({0, 3}, kFloat32)), ShapeError,
      message_is<ShapeError>("MinMaxScaler: transform needs at least one sample: x (0, 3)"));
  Standardizer all(NormalizeOver::kAll);
  BOOST_CHECK_EXCEPTION(
      all.fit(Array::zeros({4, 0}, kFloat64)), ShapeError,
      message_is<ShapeError>("Standardizer: fit needs at least one feature: x (4, 0)"));
}

// Statistics from a checkpoint are divisors and offsets: NaN or inf would
// turn every transformed value into NaN without a word.
BOOST_AUTO_TEST_CASE(loaded_statistics_must_be_finite) {
  Standardizer s;
  s.fit(train_set());
  const Array good_mean = s.mean(), good_std = s.stddev();
  Array mean = good_mean.to(kFloat64);
  mean.set(1, NAN);
  BOOST_CHECK_EXCEPTION(
      s.load_state_dict({{"mean", mean}, {"std", good_std}}), ValueError,
      message_is<ValueError>("Standardizer: load_state_dict: mean must be finite, element 1 is "
                             "nan"));
  Array sd = good_std.to(kFloat64);
  sd.set(2, INFINITY);
  BOOST_CHECK_EXCEPTION(
      s.load_state_dict({{"mean", good_mean}, {"std", sd}}), ValueError,
      message_is<ValueError>("Standardizer: load_state_dict: std must be finite, element 2 is "
                             "inf"));
  BOOST_TEST(max_abs_diff(s.mean(), good_mean) == 0.0);  // unchanged
  MinMaxScaler m;
  Array lo = Array::full({3}, 0.0, kFloat64), hi = Array::full({3}, 1.0, kFloat64);
  lo.set(0, -INFINITY);
  BOOST_CHECK_EXCEPTION(
      m.load_state_dict({{"min", lo}, {"max", hi}}), ValueError,
      message_is<ValueError>("MinMaxScaler: load_state_dict: min must be finite, element 0 is "
                             "-inf"));
  lo.set(0, 2.0);
  BOOST_CHECK_EXCEPTION(m.load_state_dict({{"min", lo}, {"max", hi}}), ValueError,
                        message_is<ValueError>("MinMaxScaler: load_state_dict: min must not "
                                               "exceed max, element 0 has min 2.000000 > max "
                                               "1.000000"));
  BOOST_TEST(!m.fitted());
}

BOOST_AUTO_TEST_CASE(same_bits_for_1_and_2_threads) {
  Generator gen(5);
  Array x = gen.normal({16, 20000}, 3.0, 2.0, kFloat32);
  BOOST_TEST_REQUIRE(x.size() > kElementwiseGrain);  // split across threads
  auto run = [&](std::size_t threads) {
    ThreadLimit limit(threads);
    Standardizer s;
    Array z = s.fit_transform(x);
    Standardizer all(NormalizeOver::kAll);
    return std::make_pair(z, all.fit_transform(x));
  };
  auto one = run(1), two = run(2);
  BOOST_TEST(max_abs_diff(one.first, two.first) == 0.0);
  BOOST_TEST(max_abs_diff(one.second, two.second) == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
