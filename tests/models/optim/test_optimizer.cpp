// Tests for the Optimizer base (models/optimizer.h): learning-rate checks,
// parameters without a gradient are skipped, colliding parameter names,
// slots follow a model converted with Module::to, zero_grad, and training a
// real module's parameters.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/factory.h"
#include "models/optim/adam.h"
#include "models/layers/linear.h"
#include "models/optim/sgd.h"
#include "tests/models/optim/optimizer_checks.h"

using namespace xgrad;
using namespace xgrad::test;

BOOST_AUTO_TEST_SUITE(optimizer_tests)

BOOST_AUTO_TEST_CASE(set_lr_is_checked) {
  Sgd opt(make_params(1), {0.1});
  opt.set_lr(0.5);
  BOOST_TEST(opt.lr() == 0.5);
  BOOST_CHECK_EXCEPTION(opt.set_lr(-1), ValueError,
                        says("Optimizer: learning rate must be non-negative and finite, got -1"));
  BOOST_CHECK_THROW(opt.set_lr(std::nan("")), ValueError);
  BOOST_CHECK_THROW(opt.set_lr(INFINITY), ValueError);
  BOOST_TEST(opt.lr() == 0.5);
}

BOOST_AUTO_TEST_CASE(parameters_without_gradient_are_skipped) {
  std::vector<Parameter> p = make_params(2);
  std::vector<Parameter> before = copy_params(p);
  Adam opt(p, {0.1});
  p[0].tensor.backward(Array::full({2, 3}, 1.0, kFloat64));  // only the weight has a gradient
  opt.step();
  BOOST_TEST(max_abs_diff(p[0].tensor.value(), before[0].tensor.value()) > 0.0);
  BOOST_TEST(max_abs_diff(p[1].tensor.value(), before[1].tensor.value()) == 0.0);
  NamedArrays s = opt.state_dict();
  BOOST_TEST(s[3].first == "0.bias.m");
  BOOST_TEST(max_abs_diff(s[3].second, Array::zeros({2}, kFloat64)) == 0.0);
  BOOST_TEST(opt.step_count() == 1u);
}

BOOST_AUTO_TEST_CASE(zero_grad_forgets_gradients) {
  std::vector<Parameter> p = make_params(3);
  Sgd opt(p, {0.1});
  Generator g(1);
  set_grads(p, g);
  opt.zero_grad();
  for (const Parameter& q : p) BOOST_TEST(!q.tensor.has_grad());
}

BOOST_AUTO_TEST_CASE(colliding_names_are_rejected_when_there_is_state) {
  std::vector<Parameter> a = make_params(4), b = make_params(5);
  std::vector<Parameter> both = a;
  both.insert(both.end(), b.begin(), b.end());
  BOOST_CHECK_EXCEPTION(Adam(both, {}), ValueError,
                        says("Adam: two parameters are named '0.weight'; their state would "
                             "collide (pass parameters with distinct names)"));
  Sgd plain(both, {0.1});  // no per-parameter state: nothing collides
  BOOST_TEST(plain.params().size() == 4u);
}

BOOST_AUTO_TEST_CASE(slots_follow_a_converted_model) {
  Generator gen(6);
  Linear layer(3, 2, gen);
  Adam opt(layer.parameters(), {0.01});
  layer.to(kFloat64);
  Tensor x = Tensor(gen.normal({4, 3}, 0, 1, kFloat64));
  layer(x).backward(Array::full({4, 2}, 1.0, kFloat64));
  opt.step();
  for (const auto& [name, value] : opt.state_dict()) {
    BOOST_TEST((value.dtype() == kFloat64), name);
  }
  BOOST_TEST((layer.weight().dtype() == kFloat64));
}

// Gradient descent on a module's parameters lowers a quadratic loss: the
// optimiser shares the module's parameter nodes.
BOOST_AUTO_TEST_CASE(updates_reach_the_module) {
  Generator gen(7);
  Linear layer(3, 1, gen, true, kFloat64);
  Sgd opt(layer.parameters(), {0.05, 0.5});
  Tensor x = Tensor(gen.normal({8, 3}, 0, 1, kFloat64));
  auto loss_and_backward = [&] {
    Tensor y = layer(x);  // J = ½ Σ y², dJ/dy = y
    double j = 0;
    for (std::size_t i = 0; i < 8; ++i) j += 0.5 * y.value().at(i) * y.value().at(i);
    y.backward(y.value());
    return j;
  };
  double first = 0, last = 0;
  for (int t = 0; t < 30; ++t) {
    opt.zero_grad();
    last = loss_and_backward();
    if (t == 0) first = last;
    opt.step();
  }
  BOOST_TEST(last < 0.1 * first);
}

BOOST_AUTO_TEST_SUITE_END()
