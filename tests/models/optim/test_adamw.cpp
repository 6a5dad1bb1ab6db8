// Tests for models/optim/adamw.h: decoupled weight decay (Loshchilov & Hutter
// 2019) against a hand loop; it differs from Adam's coupled L2 decay; the
// decay skips biases by default; state round trip; load errors.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "models/optim/adamw.h"
#include "tests/models/optim/optimizer_checks.h"
#include "tests/test_messages.h"

using namespace xgrad;
using namespace xgrad::test;
using xgrad::testing::message_is;

namespace {
MakeOptimizer adamw(AdamWOptions o) {
  return [o](std::vector<Parameter> p) { return std::make_unique<AdamW>(std::move(p), o); };
}

AdamWOptions options(double lr, double wd) {
  AdamWOptions o;
  o.lr = lr;
  o.weight_decay = wd;
  return o;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(models_optim_adamw_tests)

BOOST_AUTO_TEST_CASE(matches_decoupled_decay_by_hand) {
  const double lr = 0.02, wd = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  std::vector<Parameter> p = make_params(31);
  AdamW opt(p, options(lr, wd));
  std::vector<std::vector<double>> th, m, v;
  for (const Parameter& q : p) {
    th.emplace_back();
    for (std::size_t i = 0; i < q.tensor.size(); ++i) th.back().push_back(q.tensor.value().at(i));
    m.emplace_back(q.tensor.size(), 0.0);
    v.emplace_back(q.tensor.size(), 0.0);
  }
  Generator grads(32);
  for (int t = 1; t <= 4; ++t) {
    set_grads(p, grads);
    opt.step();
    for (std::size_t k = 0; k < p.size(); ++k) {
      for (std::size_t i = 0; i < th[k].size(); ++i) {
        const double g = p[k].tensor.grad().at(i);  // no wd · θ in the gradient
        m[k][i] = b1 * m[k][i] + (1 - b1) * g;
        v[k][i] = b2 * v[k][i] + (1 - b2) * g * g;
        const double m_hat = m[k][i] / (1 - std::pow(b1, t));
        const double v_hat = v[k][i] / (1 - std::pow(b2, t));
        if (k == 0) th[k][i] -= lr * wd * th[k][i];  // decoupled decay, weights only
        th[k][i] -= lr * m_hat / (std::sqrt(v_hat) + eps);
        BOOST_TEST(std::abs(p[k].tensor.value().at(i) - th[k][i]) < 1e-12,
                   "step " << t << " " << p[k].name << "[" << i << "]");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(differs_from_coupled_l2) {
  std::vector<Parameter> a = make_params(33), b = copy_params(a);
  AdamW decoupled(a, options(0.01, 0.1));
  AdamOptions coupled_options;
  coupled_options.lr = 0.01;
  coupled_options.weight_decay = 0.1;
  Adam coupled(b, coupled_options);
  Generator ga(34), gb(34);
  for (int t = 0; t < 3; ++t) {
    set_grads(a, ga);
    set_grads(b, gb);
    decoupled.step();
    coupled.step();
  }
  BOOST_TEST(max_abs_diff(a[0].tensor.value(), b[0].tensor.value()) > 1e-6);
  BOOST_TEST(max_abs_diff(a[1].tensor.value(), b[1].tensor.value()) == 0.0);  // biases: no decay
}

BOOST_AUTO_TEST_CASE(decay_skips_biases_by_default) {
  AdamWOptions all = options(0.01, 0.1);
  all.decay_biases = true;
  check_decay_skips_biases(adamw(options(0.01, 0.1)), adamw(all));
}

BOOST_AUTO_TEST_CASE(defaults_and_name) {
  AdamW opt(make_params(1));
  BOOST_TEST(opt.name() == "AdamW");
  BOOST_TEST(opt.options().weight_decay == 0.01);
  BOOST_TEST(opt.describe() == "AdamW(lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.01)");
  BOOST_CHECK_EXCEPTION(AdamW(make_params(1), options(0.1, -1)), ValueError,
                        message_is("AdamW: weight_decay must be non-negative and finite, got -1"));
}

BOOST_AUTO_TEST_CASE(state_round_trip_is_bit_exact) { check_state_round_trip(adamw({})); }

BOOST_AUTO_TEST_CASE(load_errors_name_the_entry) { check_load_errors(adamw({}), "AdamW", "v"); }

BOOST_AUTO_TEST_CASE(same_bits_for_any_thread_count) {
  check_thread_independent(adamw(options(0.01, 0.05)));
}

BOOST_AUTO_TEST_SUITE_END()
