// Tests for models/cnn.h: layer structure and shapes, the parameter count against the hand
// formula (default 28x28 input and LeNet-5's 32x32), the layer order, a float64 gradcheck of
// a small Cnn with its parameters as inputs, dropout in training and eval, and errors.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "models/cnn.h"
#include "ops/conv2d.h"
#include "ops/linear.h"
#include "ops/max_pool2d.h"
#include "ops/relu.h"
#include "ops/reshape.h"
#include "tests/test_messages.h"

using namespace xgrad;

namespace {
using xgrad::testing::message_is;

// The hand formula: conv layers Cout·Cin·k² + Cout, linear layers out·in + out.
std::size_t hand_count(const CnnOptions& o, std::size_t flat) {
  const std::size_t k2 = o.kernel * o.kernel;
  return o.c1 * o.in_channels * k2 + o.c1 + o.c2 * o.c1 * k2 + o.c2 + o.fc1 * flat + o.fc1 +
         o.fc2 * o.fc1 + o.fc2 + o.classes * o.fc2 + o.classes;
}

// The Cnn's forward written out with the ops, parameters taken from `p` (in parameters()
// order: conv1 w, b, conv2 w, b, fc1 w, b, fc2 w, b, fc3 w, b), no dropout. ReLU before
// each pool, as the textbook writes it (the module pools first: the same function).
Tensor forward_with(const CnnOptions& o, const Tensor& x, const std::vector<Tensor>& p) {
  const Pool2dOptions pool(o.pool);
  Tensor h = max_pool2d(relu(conv2d(x, p[0], p[1])), pool);
  h = flatten(max_pool2d(relu(conv2d(h, p[2], p[3])), pool));
  h = relu(linear(h, p[4], p[5]));
  h = relu(linear(h, p[6], p[7]));
  return linear(h, p[8], p[9]);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(models_cnn_tests)

BOOST_AUTO_TEST_CASE(default_lenet_structure_shapes_and_parameter_count) {
  Generator gen(1);
  Cnn net(CnnOptions{}, gen);
  BOOST_TEST(net.name() == "Cnn(1x28x28 -> 10)");
  // 28 -conv5-> 24 -pool2-> 12 -conv5-> 8 -pool2-> 4: 16·4·4 = 256 features
  BOOST_TEST(net.flat_features() == 256u);
  BOOST_TEST(net.parameter_count() == hand_count(CnnOptions{}, 256));
  BOOST_TEST(net.parameter_count() == 44426u);  // 156 + 2416 + 30840 + 10164 + 850
  std::vector<std::string> names;
  for (const Parameter& p : net.parameters()) names.push_back(p.name);
  BOOST_TEST(names == std::vector<std::string>(
                          {"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight",
                           "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"}),
             boost::test_tools::per_element());
  BOOST_TEST(net.parameters()[4].tensor.shape() == Shape({120, 256}));
  std::vector<std::string> layers;
  for (const auto& c : net.children()) layers.push_back(c.first + " " + c.second->name());
  BOOST_TEST(
      layers == std::vector<std::string>(
                    {"conv1 Conv2d(1 -> 6, kernel 5x5)", "pool1 MaxPool2d(kernel 2x2, stride 2x2)",
                     "relu1 ReLU", "conv2 Conv2d(6 -> 16, kernel 5x5)",
                     "pool2 MaxPool2d(kernel 2x2, stride 2x2)", "relu2 ReLU", "flatten Flatten",
                     "fc1 Linear(256 -> 120)", "relu3 ReLU", "fc2 Linear(120 -> 84)", "relu4 ReLU",
                     "fc3 Linear(84 -> 10)"}),
      boost::test_tools::per_element());
  Tensor y = net(rand({3, 1, 28, 28}, gen));
  BOOST_TEST(y.shape() == Shape({3, 10}));
  BOOST_TEST((y.dtype() == kFloat32));

  CnnOptions lenet5;  // the classic 32x32 input: 16·5·5 = 400 features
  lenet5.image = 32;
  Cnn net5(lenet5, gen);
  BOOST_TEST(net5.flat_features() == 400u);
  BOOST_TEST(net5.parameter_count() == hand_count(lenet5, 400));
  BOOST_TEST(net5.parameter_count() == 61706u);
}

BOOST_AUTO_TEST_CASE(channel_and_layer_options) {
  Generator gen(2);
  CnnOptions o;
  o.in_channels = 3;
  o.image = 32;
  o.c1 = 8;
  o.c2 = 12;
  o.kernel = 3;
  o.fc1 = 50;
  o.fc2 = 20;
  o.classes = 4;
  Cnn net(o, gen);
  // 32 -conv3-> 30 -pool-> 15 -conv3-> 13 -pool-> 6: 12·6·6 = 432
  BOOST_TEST(net.flat_features() == 432u);
  BOOST_TEST(net.parameter_count() == hand_count(o, 432));
  BOOST_TEST(net.parameters()[0].tensor.shape() == Shape({8, 3, 3, 3}));
  BOOST_TEST(net(rand({2, 3, 32, 32}, gen)).shape() == Shape({2, 4}));
}

BOOST_AUTO_TEST_CASE(gradcheck_small_cnn_with_parameters_as_inputs) {
  CnnOptions o;
  o.in_channels = 2;
  o.image = 12;
  o.c1 = 3;
  o.c2 = 4;
  o.kernel = 3;
  o.fc1 = 6;
  o.fc2 = 5;
  o.classes = 3;
  o.dtype = kFloat64;
  Generator gen(3);
  auto net = std::make_shared<Cnn>(o, gen);
  std::vector<Tensor> inputs{Tensor(gen.normal({2, 2, 12, 12}, 0, 1, kFloat64))};
  for (const Parameter& p : net->parameters()) inputs.push_back(Tensor(p.tensor.value()));
  // the written-out forward is the module's forward, values and gradients
  Tensor x(inputs[0].value());
  Tensor y_module = (*net)(x);
  std::vector<Tensor> copies;
  for (std::size_t k = 1; k < inputs.size(); ++k) copies.emplace_back(inputs[k].value(), true);
  Tensor y_ops = forward_with(o, x, copies);
  BOOST_TEST(max_abs_diff(y_module.value(), y_ops.value()) == 0.0);
  Array u = gen.normal(y_module.shape(), 0, 1, kFloat64);
  y_module.backward(u);
  y_ops.backward(u);
  const std::vector<Parameter> params = net->parameters();
  for (std::size_t k = 0; k < params.size(); ++k) {
    BOOST_TEST(max_abs_diff(params[k].tensor.grad(), copies[k].grad()) == 0.0, params[k].name);
  }
  auto f = [o](const std::vector<Tensor>& in) {
    return forward_with(o, in[0], std::vector<Tensor>(in.begin() + 1, in.end()));
  };
  GradcheckResult r = gradcheck("Cnn(2x12x12 -> 3)", f, inputs);
  BOOST_TEST(r.pass(), r.message());
  BOOST_TEST(r.inputs.size() == 11u);
}

// The module pools before its ReLU (a quarter of the elements): max commutes with the
// non-decreasing ReLU, and so do the gradients, ties and NaN included. Checked bit for bit
// on windows that hold ties, zeros, only negatives, and a NaN.
BOOST_AUTO_TEST_CASE(pool_then_relu_is_relu_then_pool) {
  const Pool2dOptions pool(2);
  const Array x = tensor(std::vector<float>{-1, -2, 0.5f, 0.5f,  // ties of positives
                                            -3, -1, 0.5f, -1,    // all-negative window
                                            0,  0,  -2,   NAN,   // zeros; a NaN
                                            -1, 0,  3,    -4,    //
                                            2,  -1, -5,   -6,    // second plane
                                            2,  2,  -6,   -5,    // ties, negatives
                                            0,  -1, 7,    8,     //
                                            -2, 0,  8,    7},
                         {1, 2, 4, 4})
                      .value();
  Generator gen(7);
  const Array u = gen.normal({1, 2, 2, 2}, 0, 1, kFloat32);
  Tensor a(x, true), b(x, true);
  Tensor ya = relu(max_pool2d(a, pool)), yb = max_pool2d(relu(b), pool);
  ya.backward(u);
  yb.backward(u);
  for (std::size_t i = 0; i < ya.size(); ++i) {
    const double p = ya.value().at(i), q = yb.value().at(i);
    BOOST_TEST((p == q || (std::isnan(p) && std::isnan(q))), "output " << i);
  }
  BOOST_TEST(max_abs_diff(a.grad(), b.grad()) == 0.0);
  // and the hand values: the window maxima, clipped at 0
  BOOST_TEST(ya.value().at(0) == 0.0);       // max(-1, -2, -3, -1) = -1 -> 0
  BOOST_TEST(ya.value().at(1) == 0.5);       // ties of 0.5
  BOOST_TEST(std::isnan(ya.value().at(3)));  // the NaN window
  BOOST_TEST(ya.value().at(7) == 8.0);
  BOOST_TEST(a.grad().at(2) == u.at(1));  // the first of the tied 0.5s takes the gradient
  BOOST_TEST(a.grad().at(3) == 0.0);
}

BOOST_AUTO_TEST_CASE(dropout_in_training_only) {
  CnnOptions o;
  o.dropout = 0.5;
  o.dtype = kFloat64;
  Generator g1(4), g2(4);
  Cnn net(o, g1);
  CnnOptions plain_options = o;
  plain_options.dropout = 0;
  Cnn plain(plain_options, g2);
  BOOST_TEST(net.name() == "Cnn(1x28x28 -> 10, dropout=0.5)");
  BOOST_TEST(net.children().size() == plain.children().size() + 2);
  BOOST_TEST(net.children()[9].first == "drop1");
  BOOST_TEST(net.children()[9].second->name() == "Dropout(p=0.5)");
  // the dropout seeds are drawn after the weights: the same initial weights
  const std::vector<Parameter> a = net.parameters(), b = plain.parameters();
  BOOST_TEST_REQUIRE(a.size() == b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    BOOST_TEST(max_abs_diff(a[k].tensor.value(), b[k].tensor.value()) == 0.0, a[k].name);
  }
  Tensor x = rand({4, 1, 28, 28}, g1, kFloat64);
  const Array first = net(x).value(), second = net(x).value();
  BOOST_TEST(max_abs_diff(first, second) > 0.0);  // fresh masks each call while training
  BOOST_TEST(max_abs_diff(first, plain(x).value()) > 0.0);
  net.eval();
  BOOST_TEST(max_abs_diff(net(x).value(), plain(x).value()) == 0.0);  // eval: no dropout
}

BOOST_AUTO_TEST_CASE(errors) {
  Generator gen(6);
  CnnOptions small;
  small.image = 12;
  BOOST_CHECK_EXCEPTION(
      Cnn(small, gen), ValueError,
      message_is("Cnn: image 12 is too small for two 5x5 convolutions and 2x2 pools"));
  CnnOptions bad_p;
  bad_p.dropout = 1;
  BOOST_CHECK_EXCEPTION(Cnn(bad_p, gen), ValueError,
                        message_is("Cnn: dropout must be in [0, 1), got 1"));
  Cnn net(CnnOptions{}, gen);
  BOOST_CHECK_EXCEPTION(net(zeros({2, 1, 32, 32})), ShapeError,
                        message_is("Cnn(1x28x28 -> 10): input must be (N, 1, 28, 28): input (2, "
                                   "1, 32, 32)"));
}

BOOST_AUTO_TEST_SUITE_END()
