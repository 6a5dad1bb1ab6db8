// Tests for models/layers/linear.h: forward and gradients against hand loops,
// the default initialisation bound, no-bias layers, names and the layer's
// shape error.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <memory>

#include "framework/gradcheck.h"
#include "models/layers/linear.h"
#include "ops/sum.h"
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

// PyTorch's (*, in) -> (*, out): each row of a (2, 2, 3) input gives what
// the same row gives alone, y = W x + b written out by hand.
BOOST_AUTO_TEST_CASE(leading_dimensions) {
  Generator gen(6);
  Linear layer(3, 2, gen, true, kFloat64);
  const Tensor x(gen.uniform({2, 2, 3}, -1, 1, kFloat64), true);
  const Tensor y = layer(x);
  BOOST_TEST((y.shape() == Shape{2, 2, 2}));
  const Array& w = layer.weight().value();
  const Array& b = layer.bias().value();
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 2; ++j)
      for (std::size_t o = 0; o < 2; ++o) {
        double want = b.at({o});
        for (std::size_t k = 0; k < 3; ++k) want += w.at({o, k}) * x.value().at({i, j, k});
        BOOST_TEST(std::abs(y.value().at({i, j, o}) - want) < 1e-14);
      }
  const Tensor one = layer(Tensor(gen.uniform({3}, -1, 1, kFloat64)));
  BOOST_TEST((one.shape() == Shape{2}));
  sum(y).backward();  // dL/dx[i, j, k] = sum_o W[o, k], the same for every row
  for (std::size_t k = 0; k < 3; ++k)
    BOOST_TEST(std::abs(x.grad().at({1, 0, k}) - (w.at({0, k}) + w.at({1, k}))) < 1e-14);
}

BOOST_AUTO_TEST_CASE(errors) {
  Generator gen(5);
  Linear layer(3, 2, gen);
  BOOST_CHECK_EXCEPTION(
      layer(Tensor(Array::zeros({4, 5}, kFloat32))), ShapeError,
      message_is("Linear(3 -> 2): input's last dimension must be 3: input (4, 5)"));
  BOOST_CHECK_EXCEPTION(
      layer(Tensor(Array::zeros({2, 3, 4}, kFloat32))), ShapeError,
      message_is("Linear(3 -> 2): input's last dimension must be 3: input (2, 3, 4)"));
  BOOST_CHECK_EXCEPTION(layer(Tensor(Array::scalar(1.0, kFloat32))), ShapeError,
                        message_is("Linear(3 -> 2): input's last dimension must be 3: input ()"));
  BOOST_CHECK_EXCEPTION(Linear(0, 2, gen), ValueError,
                        message_is("Linear: in and out features must be positive"));
}

BOOST_AUTO_TEST_SUITE_END()
