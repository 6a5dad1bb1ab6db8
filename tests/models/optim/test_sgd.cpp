// Tests for models/optim/sgd.h: plain, momentum (the lecture's δθ form) and
// Nesterov steps against hand loops; equality with PyTorch's v = βv + g,
// θ −= αv for a constant α (and the documented difference when α changes);
// weight decay; state round trip; load errors; options.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "models/optim/sgd.h"
#include "tests/models/optim/optimizer_checks.h"
#include "tests/test_messages.h"

using namespace xgrad;
using namespace xgrad::test;
using xgrad::testing::message_is;

namespace {
MakeOptimizer sgd(SgdOptions o) {
  return [o](std::vector<Parameter> p) { return std::make_unique<Sgd>(std::move(p), o); };
}

// Runs `steps` steps with seeded gradients; calls hand(k, i, θ&, g, t) per element.
template <class Hand>
void compare_with_hand(Optimizer& opt, std::vector<Parameter>& p, int steps, Hand hand,
                       const std::function<void(int)>& before_step = {}) {
  std::vector<std::vector<double>> th;
  for (const Parameter& q : p) {
    th.emplace_back();
    for (std::size_t i = 0; i < q.tensor.size(); ++i) th.back().push_back(q.tensor.value().at(i));
  }
  Generator grads(11);
  for (int t = 0; t < steps; ++t) {
    if (before_step) before_step(t);
    set_grads(p, grads);
    opt.step();
    for (std::size_t k = 0; k < p.size(); ++k) {
      for (std::size_t i = 0; i < th[k].size(); ++i) {
        hand(k, i, th[k][i], p[k].tensor.grad().at(i), t);
        BOOST_TEST(std::abs(p[k].tensor.value().at(i) - th[k][i]) < 1e-12,
                   "step " << t << " " << p[k].name << "[" << i << "]");
      }
    }
  }
}
}  // namespace

BOOST_AUTO_TEST_SUITE(models_optim_sgd_tests)

BOOST_AUTO_TEST_CASE(plain_step_is_gradient_descent) {
  std::vector<Parameter> p = make_params(1);
  Sgd opt(p, {0.1});
  compare_with_hand(opt, p, 3,
                    [](std::size_t, std::size_t, double& th, double g, int) { th -= 0.1 * g; });
  BOOST_TEST(opt.state_dict().size() == 1u);  // only "step": plain SGD keeps no slots
}

BOOST_AUTO_TEST_CASE(momentum_follows_the_lecture) {
  std::vector<Parameter> p = make_params(2);
  Sgd opt(p, {0.05, 0.9});
  double delta[2][6] = {};
  compare_with_hand(opt, p, 4, [&](std::size_t k, std::size_t i, double& th, double g, int) {
    delta[k][i] = -0.05 * g + 0.9 * delta[k][i];
    th += delta[k][i];
  });
}

BOOST_AUTO_TEST_CASE(nesterov_step) {
  std::vector<Parameter> p = make_params(3);
  Sgd opt(p, {0.05, 0.9, true});
  double delta[2][6] = {};
  compare_with_hand(opt, p, 4, [&](std::size_t k, std::size_t i, double& th, double g, int) {
    delta[k][i] = -0.05 * g + 0.9 * delta[k][i];
    th += -0.05 * g + 0.9 * delta[k][i];
  });
}

// PyTorch: v = βv + g, θ −= αv (Nesterov: θ −= α(g + βv)). Equal to the
// lecture's form while α is constant.
BOOST_AUTO_TEST_CASE(equals_pytorch_form_for_constant_lr) {
  for (bool nesterov : {false, true}) {
    std::vector<Parameter> p = make_params(4);
    Sgd opt(p, {0.03, 0.8, nesterov});
    double v[2][6] = {};
    compare_with_hand(opt, p, 5, [&](std::size_t k, std::size_t i, double& th, double g, int) {
      v[k][i] = 0.8 * v[k][i] + g;
      th -= 0.03 * (nesterov ? g + 0.8 * v[k][i] : v[k][i]);
    });
  }
}

// When α changes, the lecture's δθ carries the old α; PyTorch's v does not.
BOOST_AUTO_TEST_CASE(lr_change_follows_the_lecture_not_pytorch) {
  std::vector<Parameter> p = make_params(5);
  std::vector<Parameter> start = copy_params(p);
  Sgd opt(p, {0.1, 0.9});
  Generator grads(12);
  set_grads(p, grads);
  const double g1 = p[0].tensor.grad().at(0);
  opt.step();
  opt.set_lr(0.01);
  set_grads(p, grads);
  const double g2 = p[0].tensor.grad().at(0);
  opt.step();
  const double th0 = start[0].tensor.value().at(0);
  const double lecture = th0 + (-0.1 * g1) + (-0.01 * g2 + 0.9 * (-0.1 * g1));
  const double pytorch = th0 - 0.1 * g1 - 0.01 * (0.9 * g1 + g2);
  BOOST_TEST(std::abs(p[0].tensor.value().at(0) - lecture) < 1e-12);
  BOOST_TEST(std::abs(lecture - pytorch) > 1e-3);
}

BOOST_AUTO_TEST_CASE(weight_decay_adds_wd_theta_to_the_gradient) {
  std::vector<Parameter> p = make_params(6);
  SgdOptions o;
  o.lr = 0.1;
  o.weight_decay = 0.01;
  Sgd opt(p, o);
  compare_with_hand(opt, p, 2, [&](std::size_t k, std::size_t, double& th, double g, int) {
    th -= 0.1 * (k == 0 ? g + 0.01 * th : g);  // k = 0 is the weight
  });
  check_decay_skips_biases(sgd(o), sgd([&] {
                             SgdOptions all = o;
                             all.decay_biases = true;
                             return all;
                           }()));
}

BOOST_AUTO_TEST_CASE(state_round_trip_is_bit_exact) {
  check_state_round_trip(sgd({0.1, 0.9}));
  check_state_round_trip(sgd({0.1, 0.9, true}));
  check_state_round_trip(sgd({0.1}), false);
}

BOOST_AUTO_TEST_CASE(load_errors_name_the_entry) {
  check_load_errors(sgd({0.1, 0.5}), "SGD", "velocity");
  std::vector<Parameter> p = make_params(1);
  Sgd plain(p, {0.1});
  NamedArrays with_velocity = Sgd(make_params(1), {0.1, 0.5}).state_dict();
  BOOST_CHECK_EXCEPTION(plain.load_state_dict(with_velocity), ValueError,
                        message_is("SGD load_state_dict: unexpected state '0.weight.velocity'"));
}

BOOST_AUTO_TEST_CASE(same_bits_for_any_thread_count) {
  check_thread_independent(sgd({0.1, 0.9, true, 0.01}));
}

BOOST_AUTO_TEST_CASE(options_are_checked) {
  BOOST_CHECK_EXCEPTION(Sgd(make_params(1), {0.1, 1.0}), ValueError,
                        message_is("SGD: momentum must be in [0, 1), got 1"));
  BOOST_CHECK_EXCEPTION(Sgd(make_params(1), {0.1, 0.0, true}), ValueError,
                        message_is("SGD: Nesterov momentum needs momentum > 0"));
  BOOST_CHECK_EXCEPTION(
      Sgd(make_params(1), {-0.1}), ValueError,
      message_is("Optimizer: learning rate must be non-negative and finite, got -0.1"));
  SgdOptions o;
  o.weight_decay = -1;
  BOOST_CHECK_EXCEPTION(Sgd(make_params(1), o), ValueError,
                        message_is("SGD: weight_decay must be non-negative and finite, got -1"));
}

BOOST_AUTO_TEST_CASE(describe_lists_the_options) {
  BOOST_TEST(Sgd(make_params(1), {0.1}).describe() == "SGD(lr=0.1)");
  BOOST_TEST(Sgd(make_params(1), {0.1, 0.9, true, 0.0005}).describe() ==
             "SGD(lr=0.1, momentum=0.9, nesterov, weight_decay=0.0005)");
}

BOOST_AUTO_TEST_SUITE_END()
