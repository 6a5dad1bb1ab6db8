// Tests for models/layers/linear.h: forward and gradients against hand loops,
// the default initialisation bound, no-bias layers, names and the layer's
// shape error.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <memory>

#include "framework/gradcheck.h"
#include "models/layers/linear.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(models_layers_linear_tests)

BOOST_AUTO_TEST_CASE(forward_and_gradients_match_hand_loops) {
  Generator gen(1);
  Linear layer(3, 2, gen, true, kFloat64);
  Tensor x = Tensor(gen.normal({4, 3}, 0, 1, kFloat64), true);
  Tensor y = layer(x);
  Array u = gen.normal({4, 2}, 0, 1, kFloat64);
  y.backward(u);
  const Array &w = layer.weight().value(), &b = layer.bias().value();
  for (std::size_t n = 0; n < 4; ++n) {
    for (std::size_t o = 0; o < 2; ++o) {
      double z = b.at(o);
      for (std::size_t i = 0; i < 3; ++i) z += x.value().at(n * 3 + i) * w.at(o * 3 + i);
      BOOST_TEST(std::abs(y.value().at(n * 2 + o) - z) < 1e-12);
    }
  }
  for (std::size_t o = 0; o < 2; ++o) {
    double db = 0;
    for (std::size_t n = 0; n < 4; ++n) db += u.at(n * 2 + o);
    BOOST_TEST(std::abs(layer.bias().grad().at(o) - db) < 1e-12);
    for (std::size_t i = 0; i < 3; ++i) {
      double dw = 0;
      for (std::size_t n = 0; n < 4; ++n) dw += u.at(n * 2 + o) * x.value().at(n * 3 + i);
      BOOST_TEST(std::abs(layer.weight().grad().at(o * 3 + i) - dw) < 1e-12);
    }
  }
  for (std::size_t n = 0; n < 4; ++n) {
    for (std::size_t i = 0; i < 3; ++i) {
      double dx = 0;
      for (std::size_t o = 0; o < 2; ++o) dx += u.at(n * 2 + o) * w.at(o * 3 + i);
      BOOST_TEST(std::abs(x.grad().at(n * 3 + i) - dx) < 1e-12);
    }
  }
}

BOOST_AUTO_TEST_CASE(gradcheck_wrt_input) {
  Generator gen(2);
  auto layer = std::make_shared<Linear>(4, 3, gen, true, kFloat64);
  auto f = [layer](const std::vector<Tensor>& in) { return layer->forward(in[0]); };
  GradcheckResult r = gradcheck("Linear", f, {Tensor(gen.normal({2, 4}, 0, 1, kFloat64))});
  BOOST_TEST(r.pass(), r.message());
}

BOOST_AUTO_TEST_CASE(default_init_within_one_over_sqrt_in) {
  Generator gen(3);
  Linear layer(50, 20, gen);
  const double bound = 1 / std::sqrt(50.0);
  double top = 0;
  for (const Parameter& p : layer.parameters()) {
    for (std::size_t i = 0; i < p.tensor.size(); ++i) {
      top = std::max(top, std::abs(p.tensor.value().at(i)));
    }
  }
  BOOST_TEST(top <= bound);
  BOOST_TEST(top > 0.9 * bound);
  BOOST_TEST((layer.weight().dtype() == kFloat32));
}

BOOST_AUTO_TEST_CASE(without_bias) {
  Generator gen(4);
  Linear layer(3, 2, gen, false);
  BOOST_TEST(!layer.has_bias());
  BOOST_TEST(layer.parameters().size() == 1u);
  BOOST_TEST(layer.name() == "Linear(3 -> 2, no bias)");
}

BOOST_AUTO_TEST_CASE(errors) {
  Generator gen(5);
  Linear layer(3, 2, gen);
  BOOST_CHECK_EXCEPTION(layer(Tensor(Array::zeros({4, 5}, kFloat32))), ShapeError,
                        message_is("Linear(3 -> 2): input must have 3 columns: input (4, 5)"));
  BOOST_CHECK_EXCEPTION(layer(Tensor(Array::zeros({3}, kFloat32))), ShapeError,
                        message_is("Linear(3 -> 2): input must have 3 columns: input (3)"));
  BOOST_CHECK_EXCEPTION(Linear(0, 2, gen), ValueError,
                        message_is("Linear: in and out features must be positive"));
}

BOOST_AUTO_TEST_SUITE_END()
