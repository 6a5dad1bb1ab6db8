// Tests for models/optim/adam.h: Algorithm 1 with bias correction against a hand
// loop (also float32 against a float32 hand loop), coupled L2 weight decay,
// state round trip, load errors, options and describe().
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "models/optim/adam.h"
#include "tests/models/optim/optimizer_checks.h"
#include "tests/test_messages.h"

using namespace xgrad;
using namespace xgrad::test;
using xgrad::testing::message_is;

namespace {
MakeOptimizer adam(AdamOptions o) {
  return [o](std::vector<Parameter> p) { return std::make_unique<Adam>(std::move(p), o); };
}

// Hand Adam over `steps` seeded gradients; wd applies to the weight (k = 0).
void check_against_hand(const AdamOptions& o, int steps) {
  std::vector<Parameter> p = make_params(21);
  Adam opt(p, o);
  std::vector<std::vector<double>> th, m, v;
  for (const Parameter& q : p) {
    th.emplace_back();
    for (std::size_t i = 0; i < q.tensor.size(); ++i) th.back().push_back(q.tensor.value().at(i));
    m.emplace_back(q.tensor.size(), 0.0);
    v.emplace_back(q.tensor.size(), 0.0);
  }
  Generator grads(22);
  for (int t = 1; t <= steps; ++t) {
    set_grads(p, grads);
    opt.step();
    for (std::size_t k = 0; k < p.size(); ++k) {
      for (std::size_t i = 0; i < th[k].size(); ++i) {
        double g = p[k].tensor.grad().at(i);
        if (k == 0) g += o.weight_decay * th[k][i];
        m[k][i] = o.beta1 * m[k][i] + (1 - o.beta1) * g;
        v[k][i] = o.beta2 * v[k][i] + (1 - o.beta2) * g * g;
        const double m_hat = m[k][i] / (1 - std::pow(o.beta1, t));
        const double v_hat = v[k][i] / (1 - std::pow(o.beta2, t));
        th[k][i] -= o.lr * m_hat / (std::sqrt(v_hat) + o.eps);
        BOOST_TEST(std::abs(p[k].tensor.value().at(i) - th[k][i]) < 1e-12,
                   "step " << t << " " << p[k].name << "[" << i << "]");
      }
    }
  }
}
}  // namespace

BOOST_AUTO_TEST_SUITE(models_optim_adam_tests)

BOOST_AUTO_TEST_CASE(matches_algorithm_1) { check_against_hand({0.01, 0.9, 0.999, 1e-8}, 5); }

BOOST_AUTO_TEST_CASE(other_betas) { check_against_hand({0.2, 0.5, 0.9, 1e-6}, 4); }

BOOST_AUTO_TEST_CASE(coupled_weight_decay) {
  check_against_hand({0.01, 0.9, 0.999, 1e-8, 0.1}, 4);
  AdamOptions on{0.01, 0.9, 0.999, 1e-8, 0.1}, all = on;
  all.decay_biases = true;
  check_decay_skips_biases(adam(on), adam(all));
}

// float32 runs in float32: the same formula on floats, step by step.
BOOST_AUTO_TEST_CASE(float32_update) {
  std::vector<Parameter> p = make_params(23, kFloat32);
  Adam opt(p, {0.01f});
  const float th0 = float(p[0].tensor.value().at(0));
  Generator grads(24);
  set_grads(p, grads);
  const float g = float(p[0].tensor.grad().at(0));
  opt.step();
  const float m = 0.1f * g, v = 0.001f * g * g;  // (1 − β1)g, (1 − β2)g² in float
  const float m_hat = m / float(1 - 0.9), v_hat = v / float(1 - 0.999);
  const float expected = th0 - float(0.01) * m_hat / (std::sqrt(v_hat) + float(1e-8));
  BOOST_TEST((p[0].tensor.dtype() == kFloat32));
  BOOST_TEST(std::abs(float(p[0].tensor.value().at(0)) - expected) <= 1e-6f);
}

BOOST_AUTO_TEST_CASE(state_round_trip_is_bit_exact) {
  check_state_round_trip(adam({}));
  NamedArrays s = Adam(make_params(1), {}).state_dict();
  BOOST_TEST(s.size() == 5u);
  BOOST_TEST(s[1].first == "0.weight.m");
  BOOST_TEST(s[2].first == "0.weight.v");
  BOOST_TEST(s[3].first == "0.bias.m");
  BOOST_TEST(s[4].first == "0.bias.v");
}

BOOST_AUTO_TEST_CASE(load_errors_name_the_entry) {
  check_load_errors(adam({}), "Adam", "m");
  check_load_errors(adam({}), "Adam", "v");
}

BOOST_AUTO_TEST_CASE(same_bits_for_any_thread_count) {
  check_thread_independent(adam({0.01, 0.9, 0.999, 1e-8, 0.01}));
}

BOOST_AUTO_TEST_CASE(options_are_checked) {
  BOOST_CHECK_EXCEPTION(Adam(make_params(1), {0.1, 1.0, 0.999}), ValueError,
                        message_is("Adam: betas must be in [0, 1), got (1, 0.999)"));
  BOOST_CHECK_EXCEPTION(Adam(make_params(1), {0.1, 0.9, 0.999, 0.0}), ValueError,
                        message_is("Adam: eps must be positive, got 0"));
  BOOST_CHECK_EXCEPTION(Adam(make_params(1), {0.1, 0.9, 0.999, 1e-8, -0.5}), ValueError,
                        message_is("Adam: weight_decay must be non-negative and finite, got -0.5"));
}

BOOST_AUTO_TEST_CASE(describe_lists_the_options) {
  Adam opt(make_params(1), {});
  BOOST_TEST(opt.name() == "Adam");
  BOOST_TEST(opt.describe() == "Adam(lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0)");
}

BOOST_AUTO_TEST_SUITE_END()
