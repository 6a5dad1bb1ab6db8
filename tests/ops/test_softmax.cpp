// Tests for ops/softmax.h: softmax and log_softmax along an axis.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "framework/parallel.h"
#include "ops/softmax.h"
#include "tests/test_messages.h"

using xgrad::Array;
using xgrad::kFloat32;
using xgrad::kFloat64;
using xgrad::Tensor;

namespace {
void check_close(const Array& a, const std::vector<double>& expected, double tol = 1e-15) {
  BOOST_TEST_REQUIRE(a.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    BOOST_TEST_INFO("element " << i);
    BOOST_TEST(std::abs(a.at(i) - expected[i]) <= tol);
  }
}

// Softmax of a list of values by the textbook formula (no max shift: the
// test inputs are small).
std::vector<double> hand_softmax(const std::vector<double>& v) {
  double total = 0;
  for (double x : v) total += std::exp(x);
  std::vector<double> out;
  for (double x : v) out.push_back(std::exp(x) / total);
  return out;
}

using xgrad::testing::message_is;

void gradcheck_fn(const char* name, const xgrad::OpFn& f, const Tensor& x) {
  xgrad::GradcheckResult r = xgrad::gradcheck(name, f, {x});
  BOOST_TEST(r.pass(), r.message());
}
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_softmax_tests)

BOOST_AUTO_TEST_CASE(last_axis_values_match_the_formula) {
  Tensor x = xgrad::tensor({{1.0, 2.0, 3.0}, {-1.0, 0.0, 0.5}}, kFloat64);
  std::vector<double> expected = hand_softmax({1, 2, 3});
  for (double v : hand_softmax({-1, 0, 0.5})) expected.push_back(v);
  check_close(xgrad::softmax(x).value(), expected, 1e-15);
  check_close(xgrad::softmax(x, 1).value(), expected, 1e-15);
  std::vector<double> logs;
  for (double v : expected) logs.push_back(std::log(v));
  check_close(xgrad::log_softmax(x).value(), logs, 1e-14);
  // Known digits: softmax(1, 2, 3) = (0.0900.., 0.2447.., 0.6652..).
  check_close(xgrad::softmax(xgrad::tensor({1.0, 2.0, 3.0}, kFloat64)).value(),
              {0.09003057317038046, 0.24472847105479764, 0.6652409557748218}, 1e-15);
}

BOOST_AUTO_TEST_CASE(axis_0_normalises_columns) {
  Tensor x = xgrad::tensor({{1.0, 0.0}, {3.0, -2.0}, {2.0, 1.0}}, kFloat64);
  std::vector<double> c0 = hand_softmax({1, 3, 2}), c1 = hand_softmax({0, -2, 1});
  check_close(xgrad::softmax(x, 0).value(), {c0[0], c1[0], c0[1], c1[1], c0[2], c1[2]});
  check_close(xgrad::softmax(x, -2).value(), {c0[0], c1[0], c0[1], c1[1], c0[2], c1[2]});
  check_close(xgrad::log_softmax(x, 0).value(),
              {std::log(c0[0]), std::log(c1[0]), std::log(c0[1]), std::log(c1[1]), std::log(c0[2]),
               std::log(c1[2])},
              1e-14);
}

BOOST_AUTO_TEST_CASE(three_d_middle_axis_by_hand_loops) {
  xgrad::Generator g(1);
  Tensor x = xgrad::randn({2, 3, 4}, g, kFloat64);
  Array y = xgrad::softmax(x, 1).value();
  for (std::size_t a = 0; a < 2; ++a) {
    for (std::size_t c = 0; c < 4; ++c) {
      std::vector<double> row;
      for (std::size_t b = 0; b < 3; ++b) row.push_back(x.value().at(a * 12 + b * 4 + c));
      std::vector<double> expected = hand_softmax(row);
      double total = 0;
      for (std::size_t b = 0; b < 3; ++b) {
        BOOST_TEST(std::abs(y.at(a * 12 + b * 4 + c) - expected[b]) <= 1e-15);
        total += y.at(a * 12 + b * 4 + c);
      }
      BOOST_TEST(std::abs(total - 1) <= 1e-15);
    }
  }
}

BOOST_AUTO_TEST_CASE(rows_sum_to_one) {
  xgrad::Generator g(2);
  Tensor x = xgrad::uniform({5, 7}, -10, 10, g, kFloat64);
  Array y = xgrad::softmax(x).value();
  for (std::size_t r = 0; r < 5; ++r) {
    double total = 0;
    for (std::size_t c = 0; c < 7; ++c) total += y.at(r * 7 + c);
    BOOST_TEST(std::abs(total - 1) <= 1e-15);
  }
}

BOOST_AUTO_TEST_CASE(stable_at_plus_minus_1000) {
  for (auto dtype : {kFloat64, kFloat32}) {
    Tensor x = xgrad::tensor({{1000.0, -1000.0, 1000.0}, {-1000.0, -1000.0, -1000.0}}, dtype)
                   .requires_grad_();
    Tensor y = xgrad::softmax(x);
    check_close(y.value(), {0.5, 0.0, 0.5, 1.0 / 3, 1.0 / 3, 1.0 / 3}, 1e-7);
    Tensor ly = xgrad::log_softmax(x);
    const double log2 = 0.6931471805599453, log3 = 1.0986122886681098;
    check_close(ly.value(), {-log2, -2000 - log2, -log2, -log3, -log3, -log3}, 1e-4);
    Array u = Array::full({2, 3}, 1.0, dtype);
    u.set(0, 2.0);
    y.backward(u);
    ly.backward(u);
    for (std::size_t i = 0; i < 6; ++i) BOOST_TEST(std::isfinite(x.grad().at(i)));
  }
}

BOOST_AUTO_TEST_CASE(gradient_matches_the_jacobian) {
  // d softmax_i / d x_j = y_i (δij - y_j); d log_softmax_i / d x_j = δij - y_j.
  Tensor x = xgrad::tensor({0.3, -1.2, 2.0, 0.7}, kFloat64);
  const std::vector<double> y = hand_softmax({0.3, -1.2, 2.0, 0.7});
  for (std::size_t i = 0; i < 4; ++i) {
    Array onehot = Array::zeros({4}, kFloat64);
    onehot.set(i, 1.0);
    Tensor a = Tensor(x.value(), true), b = Tensor(x.value(), true);
    xgrad::softmax(a).backward(onehot);
    xgrad::log_softmax(b).backward(onehot);
    std::vector<double> ds, dl;
    for (std::size_t j = 0; j < 4; ++j) {
      ds.push_back(y[i] * ((i == j) - y[j]));
      dl.push_back((i == j) - y[j]);
    }
    check_close(a.grad(), ds, 1e-15);
    check_close(b.grad(), dl, 1e-15);
  }
}

BOOST_AUTO_TEST_CASE(gradcheck_every_axis) {
  xgrad::Generator g(4);
  Tensor x = xgrad::randn({2, 3, 4}, g, kFloat64);
  for (int axis : {0, 1, 2, -1}) {
    BOOST_TEST_CONTEXT("axis " << axis) {
      gradcheck_fn(
          "softmax", [axis](const auto& in) { return xgrad::softmax(in[0], axis); }, x);
      gradcheck_fn(
          "log_softmax", [axis](const auto& in) { return xgrad::log_softmax(in[0], axis); }, x);
    }
  }
}

BOOST_AUTO_TEST_CASE(threads_give_identical_bits) {
  xgrad::Generator g(5);
  Tensor x = xgrad::randn({400, 300}, g, kFloat32);  // above the parallel grain
  Array y1, y2;
  {
    xgrad::ThreadLimit limit(1);
    y1 = xgrad::softmax(x, 0).value();
  }
  {
    xgrad::ThreadLimit limit(2);
    y2 = xgrad::softmax(x, 0).value();
  }
  BOOST_TEST(xgrad::max_abs_diff(y1, y2) == 0.0);
}

BOOST_AUTO_TEST_CASE(bad_axis_is_a_shape_error) {
  Tensor x = xgrad::zeros({2, 3}, kFloat64);
  BOOST_CHECK_EXCEPTION(xgrad::softmax(x, 2), xgrad::ShapeError,
                        message_is("softmax: axis 2 is out of range: input (2, 3)"));
  BOOST_CHECK_EXCEPTION(xgrad::log_softmax(x, -3), xgrad::ShapeError,
                        message_is("log_softmax: axis -3 is out of range: input (2, 3)"));
  BOOST_CHECK_EXCEPTION(xgrad::softmax(xgrad::scalar(1.0)), xgrad::ShapeError,
                        message_is("softmax: axis -1 is out of range: input ()"));
}

BOOST_AUTO_TEST_SUITE_END()
