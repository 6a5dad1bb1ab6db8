// Perceptron: prediction, the step at 0, and its error messages. The rule
// and convergence are checked against the slide in tests/lecture (L2).
#include <boost/test/unit_test.hpp>
#include <string>

#include "framework/factory.h"
#include "models/lecture/perceptron.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(models_lecture_perceptron_tests)

BOOST_AUTO_TEST_CASE(predicts_with_a_step_at_zero) {
  Perceptron p({-1.0, 1.0, 1.0}, 1.0);                        // h = 1 iff x1 + x2 >= 1
  BOOST_TEST(p.predict(std::vector<double>{0.5, 0.5}) == 1);  // z = 0 exactly
  BOOST_TEST(p.predict(std::vector<double>{0.5, 0.25}) == 0);
  Tensor h = p.predict(tensor({{0.0, 0.0}, {1.0, 0.0}, {2.0, -3.0}}, kFloat64));
  BOOST_TEST(h.value().at(0) == 0.0);
  BOOST_TEST(h.value().at(1) == 1.0);
  BOOST_TEST(h.value().at(2) == 0.0);
  BOOST_TEST(p.name() == "Perceptron(2 inputs, alpha 1)");
}

BOOST_AUTO_TEST_CASE(stops_at_max_epochs) {
  Perceptron p(1, 0.5);
  Tensor x = Tensor(Array::zeros({2, 1}, kFloat64)), y = tensor({1.0, 0.0}, kFloat64);
  x.mutable_value().set(1, 1.0);  // x = (0; 1): the rule has to flip h for both
  PerceptronFit fit = p.fit(x, y, 1);
  BOOST_TEST(fit.epochs == 1u);
  BOOST_TEST(fit.errors_per_epoch.size() == 1u);
}

BOOST_AUTO_TEST_CASE(errors) {
  Perceptron p(2, 1.0);
  BOOST_CHECK_EXCEPTION(
      p.predict(std::vector<double>{1.0}), ShapeError,
      message_is("Perceptron(2 inputs, alpha 1): an example must have 2 features: "
                 "example (1)"));
  BOOST_CHECK_EXCEPTION(
      p.predict(zeros({3, 4}, kFloat64)), ShapeError,
      message_is("Perceptron(2 inputs, alpha 1): input must be (N, 2): input (3, 4)"));
  BOOST_CHECK_THROW(p.update({1.0, 1.0}, 0.5), ValueError);
  BOOST_CHECK_THROW(Perceptron(0), ValueError);
  BOOST_CHECK_THROW(Perceptron(2, 0.0), ValueError);
}

BOOST_AUTO_TEST_SUITE_END()
