// OptimizerTrace: each step's row against the update rules worked by hand.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdio>
#include <string>

#include "framework/factory.h"
#include "models/optim/adagrad.h"
#include "models/optim/adam.h"
#include "models/optim/sgd.h"
#include "models/train/optimizer_trace.h"
#include "ops/arithmetic.h"
#include "ops/sum.h"

using namespace xgrad;

namespace {

// Steps of J = Σ θ² (g = 2θ) with the trace watching.
void run(Optimizer& opt, OptimizerTrace& trace, Tensor theta, int steps) {
  for (int k = 0; k < steps; ++k) {
    opt.zero_grad();
    sum(theta * theta).backward();
    trace.before_step(opt);
    opt.step();
    trace.after_step(opt);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(models_train_optimizer_trace_tests)

// L14 by hand, α = 0.1, β = 0.9, θ = 1: g = 2, δθ(1) = −0.2, θ = 0.8;
// g = 1.6, δθ(2) = −0.16 + 0.9·(−0.2) = −0.34, θ = 0.46.
BOOST_AUTO_TEST_CASE(momentum_velocity_beside_the_rule) {
  Tensor theta = tensor({{5.0, 1.0}, {3.0, 4.0}}, kFloat64).requires_grad_();
  Sgd opt({{"w", theta, ParamRole::kWeight}}, {0.1, 0.9});
  OptimizerTrace trace(opt, "w[0,1]", nullptr);
  BOOST_TEST(trace.element() == "w[0, 1]");
  BOOST_TEST(trace.rule().find("delta(t) = -lr g + beta delta(t-1)") != std::string::npos);
  run(opt, trace, theta, 2);
  BOOST_TEST_REQUIRE(trace.rows().size() == 2u);
  const OptimizerTraceRow& a = trace.rows()[0];
  const OptimizerTraceRow& b = trace.rows()[1];
  BOOST_TEST(a.t == 1u);
  BOOST_TEST(a.theta == 1.0);
  BOOST_TEST(a.grad == 2.0);
  BOOST_TEST(std::abs(a.values[0] + 0.2) < 1e-15);
  BOOST_TEST(std::abs(b.values[0] + 0.34) < 1e-15);
  BOOST_TEST(std::abs(b.new_theta - 0.46) < 1e-15);
  BOOST_TEST(std::abs(b.rule_theta - b.new_theta) < 1e-15);
}

// Adam's first step: m̂ = g and v̂ = g², so θ moves by α g/(|g| + ε) ≈ α.
BOOST_AUTO_TEST_CASE(adam_bias_corrected_moments) {
  Tensor theta = tensor({0.5, -1.5, 2.0}, kFloat64).requires_grad_();
  Adam opt({{"b", theta, ParamRole::kBias}}, {0.01});
  OptimizerTrace trace(opt, "b[1]", nullptr);
  BOOST_TEST(trace.columns() == (std::vector<std::string>{"m", "v", "m^", "v^"}));
  run(opt, trace, theta, 3);
  const OptimizerTraceRow& first = trace.rows()[0];
  BOOST_TEST(std::abs(first.values[0] - 0.1 * -3.0) < 1e-15);    // m = (1 − β1) g
  BOOST_TEST(std::abs(first.values[2] - -3.0) < 1e-12);          // m̂ = g
  BOOST_TEST(std::abs(first.values[3] - 9.0) < 1e-9);            // v̂ = g²
  BOOST_TEST(std::abs(first.new_theta - (-1.5 + 0.01)) < 1e-8);  // θ − α·sign(g)
  for (const OptimizerTraceRow& r : trace.rows()) {
    BOOST_TEST(std::abs(r.rule_theta - r.new_theta) < 1e-14, r.t);
  }
  // A damaged rule would show: the third step's θ' is not θ − α m/(√v + ε) without correction.
  const OptimizerTraceRow& third = trace.rows()[2];
  BOOST_TEST(std::abs(third.theta - 0.01 * third.values[0] / (std::sqrt(third.values[1]) + 1e-8) -
                      third.new_theta) > 1e-4);
}

BOOST_AUTO_TEST_CASE(other_optimisers_show_their_state_slots) {
  Tensor theta = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  Adagrad opt({{"p", theta, ParamRole::kWeight}});
  OptimizerTrace trace(opt, "p[1]", nullptr);
  BOOST_TEST(trace.columns().size() == 1u);
  run(opt, trace, theta, 2);
  BOOST_TEST(std::isnan(trace.rows()[0].rule_theta));
  BOOST_TEST(trace.rows()[1].values[0] > trace.rows()[0].values[0]);  // the sum of g² grows
}

BOOST_AUTO_TEST_CASE(bad_elements_name_the_parameters_or_the_shape) {
  Tensor theta = tensor({{1.0, 2.0}, {3.0, 4.0}}, kFloat64).requires_grad_();
  Sgd opt({{"fc.weight", theta, ParamRole::kWeight}}, {0.1});
  auto message = [&](const std::string& element) {
    try {
      OptimizerTrace t(opt, element, nullptr);
    } catch (const ValueError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  BOOST_TEST(message("fc.bias[0]") ==
             "--trace-optimizer: no parameter 'fc.bias' (parameters: fc.weight)");
  BOOST_TEST(message("fc.weight[4]") ==
             "--trace-optimizer: fc.weight[4] is outside fc.weight of shape (2, 2) (4 elements)");
  BOOST_TEST(message("fc.weight[0,2]").find("is outside") != std::string::npos);
  BOOST_TEST(message("fc.weight").find("expected NAME[INDEX]") != std::string::npos);
  BOOST_TEST(message("fc.weight[99999999999999999999999]").find("is outside") != std::string::npos);
  BOOST_TEST(message("fc.weight[ 1 , 0 ]") == "no error");
}

BOOST_AUTO_TEST_CASE(prints_the_rule_and_one_row_per_step) {
  std::FILE* f = std::tmpfile();
  Tensor theta = tensor({1.0}, kFloat64).requires_grad_();
  Sgd opt({{"x", theta, ParamRole::kWeight}}, {0.25});
  OptimizerTrace trace(opt, "x[0]", f);
  run(opt, trace, theta, 2);
  std::rewind(f);
  std::string text;
  char buf[256];
  while (std::fgets(buf, sizeof buf, f)) text += buf;
  std::fclose(f);
  BOOST_TEST(text.find("trace x[0], SGD (L10): g = dJ/dtheta; theta' = theta - lr g\n") == 0u,
             text);
  // θ = 1, g = 2, −αg = −0.5, θ' = 0.5; then 0.5, 1, −0.25, 0.25.
  BOOST_TEST(text.find("     1          0.25             1             2          -0.5           "
                       "0.5           0.5\n") != std::string::npos,
             text);
  BOOST_TEST(text.find("     2          0.25           0.5             1         -0.25          "
                       "0.25          0.25\n") != std::string::npos,
             text);
}

BOOST_AUTO_TEST_SUITE_END()
