// Tests for models/optim/rmsprop.h: the running average and step against a hand
// loop (with weight decay on the weight only), state round trip, load
// errors, options.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "models/optim/rmsprop.h"
#include "tests/models/optim/optimizer_checks.h"
#include "tests/test_messages.h"

using namespace xgrad;
using namespace xgrad::test;
using xgrad::testing::message_is;

namespace {
MakeOptimizer rmsprop(RmsPropOptions o) {
  return [o](std::vector<Parameter> p) { return std::make_unique<RmsProp>(std::move(p), o); };
}
}  // namespace

BOOST_AUTO_TEST_SUITE(models_optim_rmsprop_tests)

BOOST_AUTO_TEST_CASE(matches_hinton_with_weight_decay) {
  const RmsPropOptions o{0.01, 0.9, 1e-8, 0.05};
  std::vector<Parameter> p = make_params(51);
  RmsProp opt(p, o);
  std::vector<std::vector<double>> th, E;
  for (const Parameter& q : p) {
    th.emplace_back();
    for (std::size_t i = 0; i < q.tensor.size(); ++i) th.back().push_back(q.tensor.value().at(i));
    E.emplace_back(q.tensor.size(), 0.0);
  }
  Generator grads(52);
  for (int t = 1; t <= 4; ++t) {
    set_grads(p, grads);
    opt.step();
    for (std::size_t k = 0; k < p.size(); ++k) {
      for (std::size_t i = 0; i < th[k].size(); ++i) {
        const double g = p[k].tensor.grad().at(i) + (k == 0 ? o.weight_decay * th[k][i] : 0.0);
        E[k][i] = o.rho * E[k][i] + (1 - o.rho) * g * g;
        th[k][i] -= o.lr * g / (std::sqrt(E[k][i]) + o.eps);
        BOOST_TEST(std::abs(p[k].tensor.value().at(i) - th[k][i]) < 1e-12,
                   "step " << t << " " << p[k].name << "[" << i << "]");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(decay_skips_biases_by_default) {
  check_decay_skips_biases(rmsprop({0.01, 0.9, 1e-8, 0.1}), rmsprop({0.01, 0.9, 1e-8, 0.1, true}));
}

BOOST_AUTO_TEST_CASE(state_round_trip_is_bit_exact) { check_state_round_trip(rmsprop({})); }

BOOST_AUTO_TEST_CASE(load_errors_name_the_entry) {
  check_load_errors(rmsprop({}), "RMSProp", "mean_sq");
}

BOOST_AUTO_TEST_CASE(same_bits_for_any_thread_count) { check_thread_independent(rmsprop({})); }

BOOST_AUTO_TEST_CASE(options_are_checked) {
  BOOST_CHECK_EXCEPTION(RmsProp(make_params(1), {0.1, 1.0}), ValueError,
                        message_is("RMSProp: rho must be in [0, 1), got 1"));
  BOOST_CHECK_EXCEPTION(RmsProp(make_params(1), {0.1, 0.9, 0.0}), ValueError,
                        message_is("RMSProp: eps must be positive, got 0"));
  BOOST_TEST(RmsProp(make_params(1), {}).describe() ==
             "RMSProp(lr=0.01, rho=0.99, eps=1e-08, weight_decay=0)");
}

BOOST_AUTO_TEST_SUITE_END()
