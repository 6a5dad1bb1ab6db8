// Tests for models/optim/adagrad.h: the accumulator and step against a hand loop
// (with weight decay on the weight only), state round trip, load errors,
// options.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "models/optim/adagrad.h"
#include "tests/models/optim/optimizer_checks.h"
#include "tests/test_messages.h"

using namespace xgrad;
using namespace xgrad::test;
using xgrad::testing::message_is;

namespace {
MakeOptimizer adagrad(AdagradOptions o) {
  return [o](std::vector<Parameter> p) { return std::make_unique<Adagrad>(std::move(p), o); };
}
}  // namespace

BOOST_AUTO_TEST_SUITE(models_optim_adagrad_tests)

BOOST_AUTO_TEST_CASE(matches_duchi_with_weight_decay) {
  const AdagradOptions o{0.1, 1e-10, 0.05};
  std::vector<Parameter> p = make_params(41);
  Adagrad opt(p, o);
  std::vector<std::vector<double>> th, G;
  for (const Parameter& q : p) {
    th.emplace_back();
    for (std::size_t i = 0; i < q.tensor.size(); ++i) th.back().push_back(q.tensor.value().at(i));
    G.emplace_back(q.tensor.size(), 0.0);
  }
  Generator grads(42);
  for (int t = 1; t <= 4; ++t) {
    set_grads(p, grads);
    opt.step();
    for (std::size_t k = 0; k < p.size(); ++k) {
      for (std::size_t i = 0; i < th[k].size(); ++i) {
        const double g = p[k].tensor.grad().at(i) + (k == 0 ? o.weight_decay * th[k][i] : 0.0);
        G[k][i] += g * g;
        th[k][i] -= o.lr * g / (std::sqrt(G[k][i]) + o.eps);
        BOOST_TEST(std::abs(p[k].tensor.value().at(i) - th[k][i]) < 1e-12,
                   "step " << t << " " << p[k].name << "[" << i << "]");
      }
    }
  }
  BOOST_TEST(opt.state_dict()[1].first == "0.weight.sum_sq");
  BOOST_TEST(std::abs(opt.state_dict()[1].second.at(0) - G[0][0]) < 1e-12);
}

BOOST_AUTO_TEST_CASE(decay_skips_biases_by_default) {
  check_decay_skips_biases(adagrad({0.1, 1e-10, 0.1}), adagrad({0.1, 1e-10, 0.1, true}));
}

BOOST_AUTO_TEST_CASE(state_round_trip_is_bit_exact) { check_state_round_trip(adagrad({})); }

BOOST_AUTO_TEST_CASE(load_errors_name_the_entry) {
  check_load_errors(adagrad({}), "AdaGrad", "sum_sq");
}

BOOST_AUTO_TEST_CASE(same_bits_for_any_thread_count) { check_thread_independent(adagrad({})); }

BOOST_AUTO_TEST_CASE(options_are_checked) {
  BOOST_CHECK_EXCEPTION(Adagrad(make_params(1), {0.1, -1.0}), ValueError,
                        message_is("AdaGrad: eps must be positive, got -1"));
  BOOST_TEST(Adagrad(make_params(1), {}).describe() ==
             "AdaGrad(lr=0.01, eps=1e-10, weight_decay=0)");
}

BOOST_AUTO_TEST_SUITE_END()
