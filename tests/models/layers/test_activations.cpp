// Tests for models/layers/activations.h: each layer equals its formula by hand,
// passes gradients, has no parameters and reads well; the Activation names
// round-trip and an unknown name is an error.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/factory.h"
#include "models/layers/activations.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(models_layers_activations_tests)

BOOST_AUTO_TEST_CASE(values_and_gradients_by_hand) {
  const double xs[] = {-2.0, -0.5, 0.3, 1.5};
  struct Case {
    Activation kind;
    double (*f)(double);
    double (*df)(double);
  };
  const Case cases[] = {
      {Activation::kSigmoid, [](double x) { return 1 / (1 + std::exp(-x)); },
       [](double x) {
         const double s = 1 / (1 + std::exp(-x));
         return s * (1 - s);
       }},
      {Activation::kTanh, [](double x) { return std::tanh(x); },
       [](double x) { return 1 - std::tanh(x) * std::tanh(x); }},
      {Activation::kReLU, [](double x) { return x > 0 ? x : 0.0; },
       [](double x) { return x > 0 ? 1.0 : 0.0; }},
  };
  for (const Case& c : cases) {
    auto layer = make_activation(c.kind);
    Tensor x = tensor({-2.0, -0.5, 0.3, 1.5}, kFloat64).requires_grad_();
    Tensor y = (*layer)(x);
    y.backward(Array::full({4}, 1.0, kFloat64));
    for (std::size_t i = 0; i < 4; ++i) {
      BOOST_TEST(std::abs(y.value().at(i) - c.f(xs[i])) < 1e-12, layer->name() << " " << i);
      BOOST_TEST(std::abs(x.grad().at(i) - c.df(xs[i])) < 1e-12, layer->name() << " " << i);
    }
    BOOST_TEST(layer->parameters().empty());
  }
}

BOOST_AUTO_TEST_CASE(names) {
  BOOST_TEST(Sigmoid().name() == "Sigmoid");
  BOOST_TEST(Tanh().name() == "Tanh");
  BOOST_TEST(ReLU().name() == "ReLU");
  BOOST_TEST(ReLU().describe() == "ReLU\ntotal parameters: 0\n");
  for (Activation a : {Activation::kSigmoid, Activation::kTanh, Activation::kReLU}) {
    BOOST_TEST((parse_activation(activation_name(a)) == a));
  }
  BOOST_TEST(make_activation(parse_activation("relu"))->name() == "ReLU");
  BOOST_CHECK_EXCEPTION(parse_activation("gelu"), ValueError,
                        message_is("unknown activation 'gelu': expected sigmoid, tanh or relu"));
}

BOOST_AUTO_TEST_SUITE_END()
