// Tests for models/logistic_regression.h: zero initial parameters, logits
// θᵀx + b by hand, predict_proba (sigmoid, and softmax stable at ±1000),
// predict, the cross-entropy gradient (1/n)Xᵀ(h − y) through an explicit
// upstream gradient (L3), names and the shape error.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/factory.h"
#include "models/init.h"
#include "models/logistic_regression.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(models_logistic_regression_tests)

BOOST_AUTO_TEST_CASE(parameters_start_at_zero) {
  LogisticRegression model(3);
  std::vector<Parameter> p = model.parameters();
  BOOST_TEST_REQUIRE(p.size() == 2u);
  BOOST_TEST(p[0].name == "weight");
  BOOST_TEST(p[0].tensor.shape() == Shape({1, 3}));
  BOOST_TEST((p[1].role == ParamRole::kBias));
  for (const Parameter& q : p) {
    for (std::size_t i = 0; i < q.tensor.size(); ++i) BOOST_TEST(q.tensor.value().at(i) == 0.0);
  }
}

BOOST_AUTO_TEST_CASE(binary_logits_probabilities_and_gradient) {
  LogisticRegression model(2, 1, kFloat64);
  Generator gen(1);
  init_module(model, Init::normal(1.0), Init::normal(1.0), gen);
  Tensor x = tensor({{1.0, 2.0}, {-1.0, 0.5}, {0.3, -2.0}}, kFloat64);
  const double labels[] = {1, 0, 1};
  const double w0 = model.weight().value().at(0), w1 = model.weight().value().at(1);
  const double b = model.bias().value().at(0);
  Tensor z = model(x);
  Array proba = model.predict_proba(x);
  std::vector<std::size_t> cls = model.predict(x);
  Array dz = Array::zeros({3, 1}, kFloat64);  // ∂J/∂z = (h − y)/n for mean cross-entropy
  double h[3];
  for (std::size_t n = 0; n < 3; ++n) {
    const double zn = b + w0 * x.value().at(2 * n) + w1 * x.value().at(2 * n + 1);
    h[n] = 1 / (1 + std::exp(-zn));
    BOOST_TEST(std::abs(z.value().at(n) - zn) < 1e-12);
    BOOST_TEST(std::abs(proba.at(n) - h[n]) < 1e-12);
    BOOST_TEST(cls[n] == (h[n] >= 0.5 ? 1u : 0u));
    dz.set(n, (h[n] - labels[n]) / 3);
  }
  z.backward(dz);
  for (std::size_t j = 0; j < 2; ++j) {  // (1/n) Xᵀ(h − y)
    double g = 0;
    for (std::size_t n = 0; n < 3; ++n) g += x.value().at(2 * n + j) * (h[n] - labels[n]) / 3;
    BOOST_TEST(std::abs(model.weight().grad().at(j) - g) < 1e-12);
  }
  BOOST_TEST(std::abs(model.bias().grad().at(0) - ((h[0] - 1) + h[1] + (h[2] - 1)) / 3) < 1e-12);
}

BOOST_AUTO_TEST_CASE(multiclass_softmax_is_stable) {
  LogisticRegression model(1, 3, kFloat64);
  constant_(model.weight(), 0.0);
  Tensor w = model.weight();          // a handle on the parameter's node
  w.mutable_value().set(0, 1000.0);   // class 0 logit 1000·x
  w.mutable_value().set(1, -1000.0);  // class 1 logit −1000·x
  Tensor x = Tensor(Array::zeros({3, 1}, kFloat64));
  x.mutable_value().set(0, 1.0);
  x.mutable_value().set(2, -1.0);
  Array p = model.predict_proba(x);
  BOOST_TEST(std::abs(p.at(0) - 1.0) < 1e-12);  // (1000, −1000, 0)
  BOOST_TEST(p.at(1) == 0.0);
  for (std::size_t c = 0; c < 3; ++c) BOOST_TEST(std::abs(p.at(3 + c) - 1.0 / 3) < 1e-12);
  BOOST_TEST(std::abs(p.at(7) - 1.0) < 1e-12);
  for (std::size_t i = 0; i < 9; ++i) BOOST_TEST(std::isfinite(p.at(i)));
  std::vector<std::size_t> cls = model.predict(x);
  BOOST_TEST(cls[0] == 0u);
  BOOST_TEST(cls[1] == 0u);  // a tie: the first largest
  BOOST_TEST(cls[2] == 1u);
}

BOOST_AUTO_TEST_CASE(names_and_errors) {
  BOOST_TEST(LogisticRegression(2).name() == "LogisticRegression(2 features, binary)");
  BOOST_TEST(LogisticRegression(784, 10).name() == "LogisticRegression(784 features, 10 classes)");
  LogisticRegression model(784, 10);
  BOOST_CHECK_EXCEPTION(
      model(Tensor(Array::zeros({32, 100}, kFloat32))), ShapeError,
      message_is(
          "LogisticRegression(784 features, 10 classes): input must have 784 columns: input (32, "
          "100)"));
  BOOST_CHECK_EXCEPTION(LogisticRegression(0), ValueError,
                        message_is("LogisticRegression: features and classes must be positive"));
}

BOOST_AUTO_TEST_SUITE_END()
