// Tests for models/optim/adadelta.h: the first step in closed form, five
// steps against a hand loop of PyTorch's update (with weight decay on the
// weight only), state names, round trip and load errors, thread-count
// independence, options and describe().
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "models/optim/optimizers.h"
#include "tests/models/optim/optimizer_checks.h"
#include "tests/test_messages.h"
#include "tests/test_values.h"

using namespace xgrad;
using namespace xgrad::test;
using xgrad::testing::check_values;
using xgrad::testing::message_is;

namespace {
MakeOptimizer adadelta(AdadeltaOptions o) {
  return [o](std::vector<Parameter> p) { return std::make_unique<Adadelta>(std::move(p), o); };
}
}  // namespace

BOOST_AUTO_TEST_SUITE(models_optim_adadelta_tests)

// From zero state: E[g²] = (1 − ρ)g², Δθ = √ε / √((1 − ρ)g² + ε) · g.
BOOST_AUTO_TEST_CASE(first_step_in_closed_form) {
  std::vector<Parameter> p = make_params(61);
  const double w = p[0].tensor.value().at(0);
  Adadelta opt(p, {});  // α 1, ρ 0.9, ε 1e-6
  p[0].tensor.backward(Array::full({2, 3}, 2.0, kFloat64));
  opt.step();
  const double step = std::sqrt(1e-6) / std::sqrt(0.1 * 4 + 1e-6) * 2;
  BOOST_TEST(std::abs(p[0].tensor.value().at(0) - (w - step)) < 1e-15);
  const NamedArrays s = opt.state_dict();
  check_values(s[1].second, std::vector<double>(6, 0.4), 1e-15);                // square_avg
  check_values(s[2].second, std::vector<double>(6, 0.1 * step * step), 1e-18);  // acc_delta
}

BOOST_AUTO_TEST_CASE(matches_a_hand_loop_with_weight_decay) {
  const AdadeltaOptions o{0.5, 0.8, 1e-5, 0.05};
  std::vector<Parameter> p = make_params(62);
  Adadelta opt(p, o);
  std::vector<std::vector<double>> th, sq, acc;
  for (const Parameter& q : p) {
    th.emplace_back();
    for (std::size_t i = 0; i < q.tensor.size(); ++i) th.back().push_back(q.tensor.value().at(i));
    sq.emplace_back(q.tensor.size(), 0.0);
    acc.emplace_back(q.tensor.size(), 0.0);
  }
  Generator grads(63);
  for (int t = 1; t <= 5; ++t) {
    set_grads(p, grads);
    opt.step();
    for (std::size_t k = 0; k < p.size(); ++k) {
      for (std::size_t i = 0; i < th[k].size(); ++i) {
        const double g = p[k].tensor.grad().at(i) + (k == 0 ? o.weight_decay * th[k][i] : 0.0);
        sq[k][i] = o.rho * sq[k][i] + (1 - o.rho) * g * g;
        const double delta = std::sqrt(acc[k][i] + o.eps) / std::sqrt(sq[k][i] + o.eps) * g;
        acc[k][i] = o.rho * acc[k][i] + (1 - o.rho) * delta * delta;
        th[k][i] -= o.lr * delta;
      }
      check_values(p[k].tensor.value(), th[k], 1e-12);
    }
  }
}

BOOST_AUTO_TEST_CASE(decay_skips_biases_by_default) {
  check_decay_skips_biases(adadelta({1.0, 0.9, 1e-6, 0.1}), adadelta({1.0, 0.9, 1e-6, 0.1, true}));
}

BOOST_AUTO_TEST_CASE(state_names_and_round_trip) {
  check_state_round_trip(adadelta({}));
  NamedArrays s = Adadelta(make_params(1), {}).state_dict();
  std::vector<std::string> names;
  for (const auto& [name, value] : s) names.push_back(name);
  const std::vector<std::string> expected{"step", "0.weight.square_avg", "0.weight.acc_delta",
                                          "0.bias.square_avg", "0.bias.acc_delta"};
  BOOST_TEST(names == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(load_errors_name_the_entry) {
  check_load_errors(adadelta({}), "Adadelta", "square_avg");
  check_load_errors(adadelta({}), "Adadelta", "acc_delta");
}

BOOST_AUTO_TEST_CASE(same_bits_for_any_thread_count) { check_thread_independent(adadelta({})); }

BOOST_AUTO_TEST_CASE(options_defaults_and_table_row) {
  BOOST_CHECK_EXCEPTION(Adadelta(make_params(1), {1.0, 1.5}), ValueError,
                        message_is<ValueError>("Adadelta: rho must be in [0, 1], got 1.5"));
  BOOST_CHECK_EXCEPTION(Adadelta(make_params(1), {1.0, 0.9, 0.0}), ValueError,
                        message_is<ValueError>("Adadelta: eps must be positive, got 0"));
  BOOST_TEST(Adadelta(make_params(1), {}).describe() ==
             "Adadelta(lr=1, rho=0.9, eps=1e-06, weight_decay=0)");
  BOOST_TEST(make_optimizer({"adadelta", std::nullopt}, make_params(1))->describe() ==
             "Adadelta(lr=1, rho=0.9, eps=1e-06, weight_decay=0)");
}

BOOST_AUTO_TEST_SUITE_END()
