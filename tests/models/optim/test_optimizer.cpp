// Tests for the Optimizer base (models/optim/optimizer.h): learning-rate checks,
// parameters without a gradient are skipped, colliding parameter names,
// slots follow a model converted with Module::to, zero_grad, and training a
// real module's parameters.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/factory.h"
#include "models/layers/linear.h"
#include "models/optim/optimizers.h"
#include "tests/models/optim/optimizer_checks.h"
#include "tests/test_messages.h"
#include "tests/test_values.h"

using namespace xgrad;
using namespace xgrad::test;
using xgrad::testing::check_values;
using xgrad::testing::message_is;

namespace {
// Three slots (a, b, c) and the plainest update, so every number is easy to
// write by hand: a ← a + g, b ← b + 2g, c ← c + 3g, θ ← θ − α (a + b + c).
class ThreeSlots : public Optimizer {
 public:
  ThreeSlots(std::vector<Parameter> params, double lr, WeightDecay decay = {})
      : Optimizer("ThreeSlots", std::move(params), lr, decay) {
    add_slots({{"a"}, {"b"}, {"c"}});
  }

 private:
  void update(const ParamUpdate& p) override {
    const double lr = p.lr();
    p.for_each<3>([=](auto& theta, auto g, auto& a, auto& b, auto& c) {
      using T = decltype(g);
      a += g;
      b += T(2) * g;
      c += T(3) * g;
      theta -= T(lr) * (a + b + c);
    });
  }
};

// θ ← θ − α g with no state: what the base adds (decay) is all there is.
class PlainStep : public Optimizer {
 public:
  PlainStep(std::vector<Parameter> params, double lr, WeightDecay decay)
      : Optimizer("PlainStep", std::move(params), lr, decay) {}

 private:
  void update(const ParamUpdate& p) override {
    const double lr = p.lr();
    p.for_each<0>([=](auto& theta, auto g) { theta -= decltype(g)(lr) * g; });
  }
};

// Uses two slots where one was declared.
class WrongSlotCount : public Optimizer {
 public:
  explicit WrongSlotCount(std::vector<Parameter> params)
      : Optimizer("Wrong", std::move(params), 1) {
    add_slots({{"a"}});
  }

 private:
  void update(const ParamUpdate& p) override {
    p.for_each<2>([](auto&, auto, auto&, auto&) {});
  }
};

std::vector<double> values_of(const Array& a) {
  std::vector<double> out;
  for (std::size_t i = 0; i < a.size(); ++i) out.push_back(a.at(i));
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(models_optim_optimizer_tests)

BOOST_AUTO_TEST_CASE(set_lr_is_checked) {
  Sgd opt(make_params(1), {0.1});
  opt.set_lr(0.5);
  BOOST_TEST(opt.lr() == 0.5);
  BOOST_CHECK_EXCEPTION(
      opt.set_lr(-1), ValueError,
      message_is("Optimizer: learning rate must be non-negative and finite, got -1"));
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
                        message_is("Adam: two parameters are named '0.weight'; their state would "
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

// The base keeps any number of slots (it used to stop at two), names them
// "<param>.<slot>" in declaration order, and counts the steps.
BOOST_AUTO_TEST_CASE(any_number_of_state_slots) {
  std::vector<Parameter> p = make_params(8);
  const std::vector<double> w0 = values_of(p[0].tensor.value());
  ThreeSlots opt(p, 0.1);
  p[0].tensor.backward(Array::full({2, 3}, 1.0, kFloat64));
  p[1].tensor.backward(Array::full({2}, -1.0, kFloat64));
  opt.step();
  opt.step();  // the gradients stay: a = 2g, b = 4g, c = 6g after two steps
  std::vector<std::string> names;
  for (const auto& [name, value] : opt.state_dict()) names.push_back(name);
  const std::vector<std::string> expected{"step",     "0.weight.a", "0.weight.b", "0.weight.c",
                                          "0.bias.a", "0.bias.b",   "0.bias.c"};
  BOOST_TEST(names == expected, boost::test_tools::per_element());
  const NamedArrays s = opt.state_dict();
  check_values(s[1].second, std::vector<double>(6, 2.0));
  check_values(s[3].second, std::vector<double>(6, 6.0));
  check_values(s[6].second, std::vector<double>(2, -6.0));
  // θ − 0.1 (a+b+c) after step 1 (a+b+c = 6g), then after step 2 (12g): 1.8 g in all.
  std::vector<double> w = w0;
  for (double& v : w) v -= 0.1 * 6 + 0.1 * 12;
  check_values(p[0].tensor.value(), w, 1e-15);
  BOOST_TEST(opt.step_count() == 2u);

  ThreeSlots restored(copy_params(p), 0.1);
  restored.load_state_dict(s);
  xgrad::testing::check_same_arrays(restored.state_dict(), s);
}

// Weight decay is applied by the base, once, in the method's form, to
// weights only unless decay_biases: by hand for a plain step.
BOOST_AUTO_TEST_CASE(weight_decay_in_both_forms) {
  const double lr = 0.1, wd = 0.5;
  for (DecayForm form : {DecayForm::kL2, DecayForm::kDecoupled}) {
    for (bool biases : {false, true}) {
      BOOST_TEST_INFO("form " << int(form) << ", decay_biases " << biases);
      std::vector<Parameter> p = make_params(9);
      const std::vector<double> w0 = values_of(p[0].tensor.value());
      const std::vector<double> b0 = values_of(p[1].tensor.value());
      PlainStep opt(p, lr, {wd, biases, form});
      Generator grads(10);
      set_grads(p, grads);
      opt.step();
      auto expect = [&](const std::vector<double>& th0, const Array& g, bool decays) {
        std::vector<double> out;
        for (std::size_t i = 0; i < th0.size(); ++i) {
          const double t = th0[i], gi = g.at(i);
          if (!decays) {
            out.push_back(t - lr * gi);
          } else if (form == DecayForm::kL2) {
            out.push_back(t - lr * (gi + wd * t));  // g + wd θ
          } else {
            out.push_back(t - lr * wd * t - lr * gi);  // θ(1 − α wd) − α g
          }
        }
        return out;
      };
      check_values(p[0].tensor.value(), expect(w0, p[0].tensor.grad(), true), 1e-15);
      check_values(p[1].tensor.value(), expect(b0, p[1].tensor.grad(), biases), 1e-15);
    }
  }
}

// Every optimiser in the table gets the same weight-decay check from the base.
BOOST_AUTO_TEST_CASE(weight_decay_is_checked_for_every_kind) {
  for (const OptimizerKind& k : optimizer_table()) {
    for (double bad : {-1.0, std::nan(""), double(INFINITY)}) {
      OptimizerSpec spec{k.name, 0.1, bad};
      std::unique_ptr<Optimizer> probe = make_optimizer({k.name, 0.1}, make_params(1));
      BOOST_CHECK_EXCEPTION(
          make_optimizer(spec, make_params(1)), ValueError,
          message_is<ValueError>(probe->name() +
                                 ": weight_decay must be non-negative and finite, got " +
                                 (std::isnan(bad) ? std::string("nan")
                                  : bad < 0       ? "-1"
                                                  : "inf")));
    }
  }
}

BOOST_AUTO_TEST_CASE(nonfinite_gradients_are_named) {
  std::vector<Parameter> p = make_params(11);
  Sgd opt(p, {0.1});
  Array g = Array::full({2}, 1.0, kFloat64);
  g.set(1, std::nan(""));
  p[0].tensor.backward(Array::full({2, 3}, 1.0, kFloat64));
  p[1].tensor.backward(g);
  opt.step();
  BOOST_TEST(opt.nonfinite_gradients() == std::vector<std::string>{"0.bias"},
             boost::test_tools::per_element());
  opt.zero_grad();
  Array inf = Array::full({2, 3}, 1.0, kFloat64);
  inf.set(4, -INFINITY);
  p[0].tensor.backward(inf);
  p[1].tensor.backward(Array::full({2}, 1.0, kFloat64));
  opt.step();
  BOOST_TEST(opt.nonfinite_gradients() == std::vector<std::string>{"0.weight"},
             boost::test_tools::per_element());
  opt.zero_grad();
  set_zero_grads(p);
  opt.step();
  BOOST_TEST(opt.nonfinite_gradients().empty());
}

// A parameter above the grain: the flag is raised from whichever task saw it.
BOOST_AUTO_TEST_CASE(nonfinite_gradient_found_on_any_thread) {
  ThreadLimit two(2);
  std::vector<Parameter> p = make_params(12, kFloat32, 600, 400);
  Adam opt(p, {});
  Array g = Array::zeros({600, 400}, kFloat32);
  g.set(599 * 400 + 399, std::nan(""));  // the last element: the last task
  p[0].tensor.backward(g);
  opt.step();
  BOOST_TEST(opt.nonfinite_gradients() == std::vector<std::string>{"0.weight"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_update_must_use_the_declared_slots) {
  std::vector<Parameter> p = make_params(13);
  WrongSlotCount opt(p);
  set_zero_grads(p);
  BOOST_CHECK_EXCEPTION(opt.step(), ValueError,
                        message_is<ValueError>("ParamUpdate::for_each: the optimiser declared 1 "
                                               "slots, the update uses 2"));
}

// Issue 14, item 14: a parameter frozen after a backward still holds that
// gradient; step() skips it (it used to call grad() and throw) and
// zero_grad() clears it without throwing.
BOOST_AUTO_TEST_CASE(frozen_parameters_are_skipped) {
  std::vector<Parameter> p = make_params(14);
  const std::vector<double> bias = values_of(p[1].tensor.value());
  Adam opt(p, {0.1});
  Generator grads(15);
  set_grads(p, grads);
  Tensor frozen = p[1].tensor;
  frozen.requires_grad_(false);
  BOOST_CHECK_NO_THROW(opt.step());
  check_values(p[1].tensor.value(), bias);  // untouched
  BOOST_TEST(opt.state_dict()[3].first == "0.bias.m");
  check_values(opt.state_dict()[3].second, std::vector<double>(2, 0.0));
  BOOST_CHECK_NO_THROW(opt.zero_grad());
  BOOST_TEST(!p[0].tensor.has_grad());
  BOOST_TEST(!p[1].tensor.has_grad());
}

// Issue 14, item 7: state from a file is checked value by value: a NaN or
// an infinity anywhere, a negative value in a slot that is a running average
// of squares (Adam's v).
BOOST_AUTO_TEST_CASE(load_state_dict_rejects_impossible_values) {
  std::vector<Parameter> p = make_params(16);
  Adam opt(p, {});
  Generator grads(17);
  set_grads(p, grads);
  opt.step();
  const NamedArrays good = opt.state_dict();
  auto with = [&](const std::string& key, std::size_t i, double v) {
    NamedArrays s = good;
    for (auto& [name, a] : s) {
      if (name == key) a.set(i, v);
    }
    return s;
  };
  BOOST_CHECK_EXCEPTION(opt.load_state_dict(with("0.weight.v", 4, -1.0)), ValueError,
                        message_is("Adam load_state_dict: '0.weight.v' holds -1 at (1, 1); it "
                                   "must be non-negative and finite"));
  BOOST_CHECK_EXCEPTION(opt.load_state_dict(with("0.bias.v", 0, std::nan(""))), ValueError,
                        message_is("Adam load_state_dict: '0.bias.v' holds nan at (0); it must "
                                   "be non-negative and finite"));
  BOOST_CHECK_EXCEPTION(opt.load_state_dict(with("0.weight.m", 2, INFINITY)), ValueError,
                        message_is("Adam load_state_dict: '0.weight.m' holds inf at (0, 2); it "
                                   "must be finite"));
  opt.load_state_dict(with("0.weight.m", 2, -3.0));  // m may be negative
  BOOST_TEST(opt.state_dict()[1].second.at(2) == -3.0);
}

// Parameter groups (PyTorch's param_groups): SGD with its own lr and
// weight decay per group, against the update written out by hand.
BOOST_AUTO_TEST_CASE(each_group_has_its_lr_and_weight_decay) {
  std::vector<Parameter> p = make_params(20);
  const std::vector<double> w = values_of(p[0].tensor.value()), b = values_of(p[1].tensor.value());
  Sgd opt({{{p[0]}, 0.1, 0.5}, {{p[1]}}}, SgdOptions{0.01});
  BOOST_TEST(opt.param_groups().size() == 2u);
  BOOST_TEST(opt.param_groups()[1].lr.value() == 0.01);
  BOOST_TEST(opt.param_groups()[1].weight_decay.value() == 0.0);
  BOOST_TEST(opt.describe() ==
             "SGD(lr=0.1, param_groups=[(params=1, lr=0.1, weight_decay=0.5), (params=1, "
             "lr=0.01, weight_decay=0)])");
  Generator grads(21);
  set_grads(p, grads);
  const std::vector<double> gw = values_of(p[0].tensor.grad()), gb = values_of(p[1].tensor.grad());
  opt.step();
  std::vector<double> want_w, want_b;
  for (std::size_t i = 0; i < w.size(); ++i) want_w.push_back(w[i] - 0.1 * (gw[i] + 0.5 * w[i]));
  for (std::size_t i = 0; i < b.size(); ++i) want_b.push_back(b[i] - 0.01 * gb[i]);
  check_values(p[0].tensor.value(), want_w, 1e-15);
  check_values(p[1].tensor.value(), want_b, 1e-15);
  // set_lr for one group, and for all.
  opt.set_lr(1, 0.2);
  BOOST_TEST(opt.param_groups()[0].lr.value() == 0.1);
  BOOST_TEST(opt.param_groups()[1].lr.value() == 0.2);
  opt.set_lr(0.3);
  BOOST_TEST(opt.param_groups()[0].lr.value() == 0.3);
  BOOST_TEST(opt.param_groups()[1].lr.value() == 0.3);
  BOOST_CHECK_EXCEPTION(opt.set_lr(2, 0.1), ValueError,
                        message_is("SGD: set_lr: group 2 of 2 parameter groups"));
}

// One optimiser over two groups updates each parameter exactly as two
// optimisers, one per group, would: the same bits (every kind; lr and
// weight decay per group).
BOOST_AUTO_TEST_CASE(two_groups_equal_two_optimisers) {
  for (const OptimizerKind& kind : optimizer_table()) {
    BOOST_TEST_CONTEXT(kind.name) {
      std::vector<Parameter> p = make_params(22), q = copy_params(p);
      OptimizerSpec spec{kind.name, 0.05, 0.01};
      std::unique_ptr<Optimizer> grouped = make_optimizer(spec, {p[0]});
      grouped->add_param_group({{p[1]}, 0.02, 0.3});
      OptimizerSpec second = spec;
      second.lr = 0.02;
      second.weight_decay = 0.3;
      std::unique_ptr<Optimizer> a = make_optimizer(spec, {q[0]}),
                                 b = make_optimizer(second, {q[1]});
      Generator g1(23), g2(23);
      for (int t = 0; t < 3; ++t) {
        set_grads(p, g1);
        set_grads(q, g2);
        grouped->step();
        a->step();
        b->step();
      }
      check_same_values(p, q);
      BOOST_TEST(max_abs_diff(p[1].tensor.value(), make_params(22)[1].tensor.value()) > 0.0);
    }
  }
}

BOOST_AUTO_TEST_CASE(add_param_group_checks_and_starts_from_zero_state) {
  std::vector<Parameter> p = make_params(24);
  Adam opt({{p[0]}}, AdamOptions{0.01});
  Generator grads(25);
  set_grads(p, grads);
  opt.step();
  opt.add_param_group({{p[1]}, {}, 0.0});
  BOOST_TEST(opt.param_groups()[1].lr.value() == 0.01);  // the default
  NamedArrays s = opt.state_dict();
  BOOST_TEST(s.size() == 5u);
  BOOST_TEST(s[3].first == "0.bias.m");
  check_values(s[3].second, std::vector<double>(2, 0.0));
  BOOST_CHECK_EXCEPTION(opt.add_param_group({{p[0]}}), ValueError,
                        message_is("Adam: parameter group 2: parameter '0.weight' is already in "
                                   "group 0 (a parameter belongs to one group)"));
  BOOST_CHECK_EXCEPTION(opt.add_param_group({make_params(26)}), ValueError,
                        message_is("Adam: two parameters are named '0.weight'; their state would "
                                   "collide (pass parameters with distinct names)"));
  BOOST_CHECK_EXCEPTION(opt.add_param_group({{}, -1.0}), ValueError,
                        message_is("Adam: parameter group 2: learning rate must be non-negative "
                                   "and finite, got -1"));
  BOOST_CHECK_EXCEPTION(opt.add_param_group({{}, {}, std::nan("")}), ValueError,
                        message_is("Adam: parameter group 2: weight_decay must be non-negative "
                                   "and finite, got nan"));
  BOOST_TEST(opt.param_groups().size() == 2u);  // none of the rejected groups was added
  BOOST_TEST(opt.params().size() == 2u);
  BOOST_TEST(opt.state_dict().size() == 5u);
  BOOST_CHECK_EXCEPTION(Adam(std::vector<ParamGroup>{}), ValueError,
                        message_is("Adam: no parameter groups (pass at least one)"));
}

// Issue 11: every optimiser is constructible as X(params, lr), and from its
// options struct in one expression (designated initialisers: C++20, and
// accepted by GCC and Clang in C++17 mode).
BOOST_AUTO_TEST_CASE(constructible_from_lr_or_options) {
  std::vector<Parameter> p = make_params(27);
  BOOST_TEST(Sgd(p, 0.5).lr() == 0.5);
  BOOST_TEST(Adagrad(p, 0.5).lr() == 0.5);
  BOOST_TEST(RmsProp(p, 0.5).lr() == 0.5);
  BOOST_TEST(Adadelta(p, 0.5).lr() == 0.5);
  BOOST_TEST(Adam(p, 0.5).lr() == 0.5);
  BOOST_TEST(AdamW(p, 0.5).lr() == 0.5);
  BOOST_TEST(AdamW(p, 0.5).options().weight_decay == 0.01);  // AdamW's default kept
  BOOST_TEST(Sgd(p, 1).lr() == 1.0);                         // an integer lr
  BOOST_TEST(Adam(p, {}).lr() == 1e-3);                      // {} is the options, not lr 0
  Adam adam(p, AdamOptions{.lr = 0.01, .beta2 = 0.98, .weight_decay = 1e-4});
  BOOST_TEST(adam.describe() == "Adam(lr=0.01, betas=(0.9, 0.98), eps=1e-08, weight_decay=0.0001)");
  Sgd sgd(p, {.lr = 0.1, .momentum = 0.9, .nesterov = true});
  BOOST_TEST(sgd.describe() == "SGD(lr=0.1, momentum=0.9, nesterov)");
  AdamW adamw(p, {.lr = 3e-4, .weight_decay = 0.1});
  BOOST_TEST(adamw.describe() ==
             "AdamW(lr=0.0003, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.1)");
}

// Issue 11: freezing a real layer's parameter after a backward (it holds
// that gradient) must not break step(), for every optimiser: the frozen
// weight stays put, the bias trains on, zero_grad and a second step work,
// and unfreezing resumes its updates.
BOOST_AUTO_TEST_CASE(freezing_a_layer_parameter_after_backward) {
  for (const OptimizerKind& kind : optimizer_table()) {
    BOOST_TEST_CONTEXT(kind.name) {
      Generator gen(28);
      Linear layer(3, 2, gen, true, kFloat64);
      std::unique_ptr<Optimizer> opt = make_optimizer({kind.name, 0.1}, layer.parameters());
      const Tensor x(gen.normal({4, 3}, 0, 1, kFloat64));
      layer(x).backward(Array::full({4, 2}, 1.0, kFloat64));
      const Array w = layer.weight().value(), b = layer.bias().value();
      Tensor weight = layer.weight();
      weight.requires_grad_(false);
      BOOST_CHECK_NO_THROW(opt->step());
      BOOST_TEST(xgrad::testing::same_bits(layer.weight().value(), w));
      BOOST_TEST(max_abs_diff(layer.bias().value(), b) > 0.0);
      BOOST_CHECK_NO_THROW(opt->zero_grad());
      layer(x).backward(Array::full({4, 2}, 1.0, kFloat64));
      BOOST_CHECK_NO_THROW(opt->step());
      BOOST_TEST(xgrad::testing::same_bits(layer.weight().value(), w));
      weight.requires_grad_(true);
      opt->zero_grad();
      layer(x).backward(Array::full({4, 2}, 1.0, kFloat64));
      opt->step();
      BOOST_TEST(max_abs_diff(layer.weight().value(), w) > 0.0);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
