// L2: the perceptron rule θ ← θ + α(y − h(x))x with a step h. Checked: the
// slide's 4-row table (y, h) → 0, −αx, +αx, 0; convergence on AND, OR and a
// random linearly separable set; no convergence on XOR within a bound.
#include <boost/test/unit_test.hpp>

#include "framework/factory.h"
#include "models/lecture/perceptron.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::message_is;

namespace {

Tensor inputs01() { return tensor({{0.0, 0.0}, {0.0, 1.0}, {1.0, 0.0}, {1.0, 1.0}}, kFloat64); }

// Predictions of every row equal the labels.
bool classifies(const Perceptron& p, const Tensor& x, const Tensor& y) {
  return max_abs_diff(p.predict(x).value(), y.value()) == 0.0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lecture_l02_perceptron_tests)

BOOST_AUTO_TEST_CASE(the_four_row_update_table) {
  const double alpha = 0.5;
  const std::vector<double> x{2.0, -3.0};  // x0 = 1 is implied: x = (1, 2, −3)
  const double xa[] = {1.0, 2.0, -3.0};
  struct Row {
    double y;
    int h;
    int bracket;  // y − h
    double sign;  // of the update: 0, −αx, +αx, 0
  };
  for (Row row : {Row{0, 0, 0, 0}, Row{0, 1, -1, -1}, Row{1, 0, 1, 1}, Row{1, 1, 0, 0}}) {
    // θ0 = ±10 makes h(x) = row.h whatever the other weights.
    const std::vector<double> theta0{row.h ? 10.0 : -10.0, 0.25, 0.5};
    Perceptron p(theta0, alpha);
    BOOST_TEST(p.predict(x) == row.h);
    BOOST_TEST(p.update(x, row.y) == row.bracket);
    for (std::size_t j = 0; j < 3; ++j) {
      BOOST_TEST_INFO("y " << row.y << ", h " << row.h << ", θ" << j);
      BOOST_TEST(p.theta()[j] - theta0[j] == row.sign * alpha * xa[j]);
    }
  }
}

BOOST_AUTO_TEST_CASE(converges_on_and_and_or) {
  Tensor x = inputs01();
  Tensor y_and = tensor({0.0, 0.0, 0.0, 1.0}, kFloat64);
  Tensor y_or = tensor({0.0, 1.0, 1.0, 1.0}, kFloat64);
  for (const Tensor& y : {y_and, y_or}) {
    Perceptron p(2, 1.0);
    BOOST_TEST(!classifies(p, x, y));
    PerceptronFit fit = p.fit(x, y, 100);
    BOOST_TEST(fit.converged);
    BOOST_TEST(fit.errors_per_epoch.back() == 0u);
    BOOST_TEST(fit.epochs == fit.errors_per_epoch.size());
    BOOST_TEST(classifies(p, x, y));
  }
}

BOOST_AUTO_TEST_CASE(converges_on_a_random_separable_set) {
  // Points labelled by a random hyperplane, those within 0.1 of it left out
  // (a margin, so the convergence bound is finite).
  Generator gen(21);
  const double w[] = {0.8, -1.3, 0.4}, b = 0.2;
  std::vector<std::vector<double>> rows;
  std::vector<double> labels;
  Array draws = gen.uniform({400, 3}, -1.0, 1.0, kFloat64);
  for (std::size_t i = 0; i < 400; ++i) {
    double z = b;
    for (std::size_t j = 0; j < 3; ++j) z += w[j] * draws.at(3 * i + j);
    if (std::abs(z) < 0.1) continue;
    rows.push_back({draws.at(3 * i), draws.at(3 * i + 1), draws.at(3 * i + 2)});
    labels.push_back(z > 0 ? 1.0 : 0.0);
  }
  Array xa = Array::empty({rows.size(), 3}, kFloat64), ya = Array::empty({rows.size()}, kFloat64);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = 0; j < 3; ++j) xa.set(3 * i + j, rows[i][j]);
    ya.set(i, labels[i]);
  }
  Tensor x(xa), y(ya);
  Perceptron p(3, 0.1);
  PerceptronFit fit = p.fit(x, y, 1000);
  BOOST_TEST(fit.converged);
  BOOST_TEST(classifies(p, x, y));
}

BOOST_AUTO_TEST_CASE(does_not_converge_on_xor) {
  Tensor x = inputs01();
  Tensor y = tensor({0.0, 1.0, 1.0, 0.0}, kFloat64);
  Perceptron p(2, 1.0);
  PerceptronFit fit = p.fit(x, y, 1000);
  BOOST_TEST(!fit.converged);
  BOOST_TEST(fit.epochs == 1000u);
  for (std::size_t errors : fit.errors_per_epoch) BOOST_TEST(errors > 0u);
  BOOST_TEST(!classifies(p, x, y));
}

BOOST_AUTO_TEST_CASE(bad_input) {
  Perceptron p(2, 1.0);
  BOOST_CHECK_EXCEPTION(p.fit(inputs01(), tensor({0.0, 1.0, 1.0}, kFloat64), 10), ShapeError,
                        message_is("Perceptron(2 inputs, alpha 1): x must be (N, 2) and y (N): "
                                   "x (4, 2), y (3)"));
  BOOST_CHECK_THROW(p.fit(inputs01(), tensor({0.0, 1.0, 2.0, 0.0}, kFloat64), 10), ValueError);
  BOOST_TEST(p.theta() == std::vector<double>(3, 0.0));  // labels are checked before θ changes
}

BOOST_AUTO_TEST_SUITE_END()
