// Diagnostics: each finding fires on a case built to show it, with numbers
// computed by hand, and stays quiet on a healthy case.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>

#include "framework/factory.h"
#include "framework/generator.h"
#include "models/init.h"
#include "models/mlp.h"
#include "models/optim/sgd.h"
#include "models/train/diagnostics.h"
#include "ops/arithmetic.h"
#include "ops/binary_cross_entropy.h"
#include "ops/linear.h"
#include "ops/relu.h"
#include "ops/sigmoid.h"
#include "ops/softmax_cross_entropy.h"
#include "ops/sum.h"

using namespace xgrad;

namespace {

// The findings of one check at one place.
const DiagnosticLine* find(const std::vector<DiagnosticLine>& lines, const std::string& check,
                           const std::string& where) {
  for (const DiagnosticLine& d : lines) {
    if (d.check == check && d.where == where) return &d;
  }
  return nullptr;
}

bool any_warning(const std::vector<DiagnosticLine>& lines, const std::string& check) {
  for (const DiagnosticLine& d : lines) {
    if (d.check == check && d.warning) return true;
  }
  return false;
}

// 40 steps of full-batch SGD on a 4-6-3 sigmoid MLP over 3 separable
// blobs, diagnosed throughout; the report after the last step.
std::vector<DiagnosticLine> train_mlp(bool zero_init) {
  Generator gen(3);
  Mlp mlp({{4, 6, 3}, Activation::kSigmoid, 0.0, kFloat64}, gen);
  if (zero_init) {
    for (const Parameter& p : mlp.parameters()) zeros_(p.tensor);
  }
  Tensor x(gen.normal({30, 4}, 0.0, 1.0, kFloat64));
  Array labels = Array::empty({30}, kInt64);
  for (std::size_t i = 0; i < 30; ++i) labels.set(i, double(i % 3));
  for (std::size_t i = 0; i < 30; ++i) x.mutable_value().set(i * 4 + i % 3, 3.0);
  Tensor y(labels);
  Sgd opt(mlp.parameters(), {0.5});
  Diagnostics diag(mlp.parameters());
  for (int step = 0; step < 40; ++step) {
    opt.zero_grad();
    Tensor loss = softmax_cross_entropy(mlp(x), y);
    diag.after_forward(loss);
    loss.backward();
    diag.before_step(opt);
    opt.step();
    diag.after_step(opt);
  }
  return diag.report();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(models_train_diagnostics_tests)

// L11: from Θ = 0 every hidden unit gets the same gradient and the six stay
// copies (weights and activations); from the default random init none do.
BOOST_AUTO_TEST_CASE(symmetry_fires_for_zero_init_and_not_for_the_default) {
  const std::vector<DiagnosticLine> zero = train_mlp(true);
  const DiagnosticLine* w = find(zero, "symmetry", "0.weight");
  BOOST_TEST_REQUIRE(w);
  BOOST_TEST(w->warning);
  BOOST_TEST(w->reference == "L11");
  BOOST_TEST(w->message.find(
                 "6 of 6 units in 1 group with identical incoming weights and bias: same") == 0u,
             w->message);
  const DiagnosticLine* a = find(zero, "symmetry", "sigmoid after 0.weight");
  BOOST_TEST_REQUIRE(a);
  BOOST_TEST(a->warning, a->message);

  const std::vector<DiagnosticLine> random = train_mlp(false);
  BOOST_TEST(!any_warning(random, "symmetry"), Diagnostics::format(random));
  BOOST_TEST_REQUIRE(find(random, "symmetry", "0.weight"));
  BOOST_TEST(find(random, "symmetry", "0.weight")->message == "no two of the 6 units alike");
}

BOOST_AUTO_TEST_CASE(identical_rows_and_columns_by_hand) {
  // Rows 0 and 2 equal; row 1 equal to them in its weights only, not its bias.
  const Array w = tensor({{1.0, 2.0}, {1.0, 2.0}, {1.0, 2.0}, {0.0, 5.0}}, kFloat64).value();
  const Symmetry plain = identical_rows(w, Array(), 0);
  BOOST_TEST(plain.groups == 1u);
  BOOST_TEST(plain.units_in_groups == 3u);
  const Symmetry with_bias = identical_rows(w, tensor({0.5, 0.7, 0.5, 0.5}, kFloat64).value(), 0);
  BOOST_TEST(with_bias.units_in_groups == 2u);
  // Within tolerance: 1 + 1e-9 counts as 1 at tol 1e-6, not at 0.
  const Array close = tensor({{1.0, 2.0}, {1.0 + 1e-9, 2.0}}, kFloat64).value();
  BOOST_TEST(identical_rows(close, Array(), 1e-6).groups == 1u);
  BOOST_TEST(identical_rows(close, Array(), 0).groups == 0u);
  // Columns over a batch of 3: units 0 and 2 alike; unit 1 all zero (skipped when asked).
  const Array a = tensor({{0.5, 0.0, 0.5}, {0.2, 0.0, 0.2}, {0.9, 0.0, 0.9}}, kFloat64).value();
  BOOST_TEST(identical_columns(a, 0, true).units_in_groups == 2u);
  const Array b = tensor({{0.5, 0.0, 0.0}, {0.2, 0.0, 0.0}}, kFloat64).value();
  BOOST_TEST(identical_columns(b, 0, false).units_in_groups == 2u);
  BOOST_TEST(identical_columns(b, 0, true).groups == 0u);
  BOOST_CHECK_THROW(identical_rows(tensor({1.0, 2.0}, kFloat64).value(), Array(), 0), ShapeError);
  BOOST_CHECK_THROW(identical_rows(w, tensor({1.0}, kFloat64).value(), 0), ShapeError);
}

// L7: z = x w' with w = 10 gives |z| = 10|x|; g'(z) < 0.01 iff |z| > 4.5951.
BOOST_AUTO_TEST_CASE(saturation_is_the_fraction_of_small_slopes) {
  Tensor w = tensor({{10.0}}, kFloat64).requires_grad_();
  Tensor x = tensor({{0.1}, {0.3}, {0.5}, {0.9}, {-2.0}}, kFloat64);  // |z| 1, 3, 5, 9, 20
  Diagnostics diag({{"w", w, ParamRole::kWeight}});
  diag.after_forward(sum(sigmoid(linear(x, w))));
  const std::vector<DiagnosticLine> lines = diag.report();
  const DiagnosticLine* s = find(lines, "saturation", "sigmoid after w");
  BOOST_TEST_REQUIRE(s);
  BOOST_TEST(s->message.find("60.0% of g'(z) below 0.01") == 0u, s->message);  // 3 of 5
  BOOST_TEST(s->warning);
  // A tanh-free, small-weight layer: nothing saturated, no warning.
  Tensor small = tensor({{0.1}}, kFloat64).requires_grad_();
  Diagnostics quiet({{"w", small, ParamRole::kWeight}});
  quiet.after_forward(sum(sigmoid(linear(x, small))));
  const std::vector<DiagnosticLine> ok = quiet.report();
  BOOST_TEST(find(ok, "saturation", "sigmoid after w")->message.find("0.0%") == 0u);
  BOOST_TEST(!any_warning(ok, "saturation"));
}

// Units 0 and 1 have bias −1 and zero weights: never active. Unit 2 is
// active only for the second batch: dead over one batch, alive over both.
BOOST_AUTO_TEST_CASE(dead_relus_are_never_active_over_the_period) {
  Tensor w = tensor({{0.0}, {0.0}, {1.0}, {0.0}}, kFloat64).requires_grad_();
  Tensor b = tensor({-1.0, -1.0, 0.0, 1.0}, kFloat64).requires_grad_();
  Diagnostics diag({{"fc.weight", w, ParamRole::kWeight}, {"fc.bias", b, ParamRole::kBias}});
  auto step = [&](double v) {
    diag.after_forward(sum(relu(linear(tensor({{v}, {v}}, kFloat64), w, b))));
  };
  step(-1.0);
  const std::vector<DiagnosticLine> one = diag.report();
  BOOST_TEST(find(one, "dead ReLU", "relu after fc.weight")->message.find("3 of 4 units (75.0%)") ==
             0u);
  step(-1.0);
  step(2.0);
  const std::vector<DiagnosticLine> two = diag.report();
  const DiagnosticLine* d = find(two, "dead ReLU", "relu after fc.weight");
  BOOST_TEST_REQUIRE(d);
  BOOST_TEST(d->message.find("2 of 4 units (50.0%) never active in 2 steps") == 0u, d->message);
  BOOST_TEST(d->warning);
}

// θ = (3, 4), J = θ1 + θ2: |θ| = 5, |g| = √2, SGD moves θ by α√2, so the
// ratio is α√2/5: 2.83e-01 at α = 1 (too large), 2.83e-03 at α = 0.01,
// 2.83e-06 at α = 1e-5 (too small).
BOOST_AUTO_TEST_CASE(norms_and_update_ratio_by_hand) {
  for (double lr : {1.0, 1e-2, 1e-5}) {
    Tensor theta = tensor({3.0, 4.0}, kFloat64).requires_grad_();
    Sgd opt({{"theta", theta, ParamRole::kWeight}}, {lr});
    Diagnostics diag({{"theta", theta, ParamRole::kWeight}});
    Tensor loss = sum(theta);
    diag.after_forward(loss);
    loss.backward();
    diag.before_step(opt);
    opt.step();
    diag.after_step(opt);
    const std::vector<DiagnosticLine> lines = diag.report();
    const DiagnosticLine* n = find(lines, "norms", "theta");
    BOOST_TEST_REQUIRE(n);
    char want[128];
    std::snprintf(want, sizeof want, "mean |grad| 1.41e+00  mean |step|/|theta| %.2e",
                  lr * std::sqrt(2.0) / 5);
    BOOST_TEST(n->message.find(want) != std::string::npos, n->message);
    BOOST_TEST(n->warning == (lr != 1e-2), n->message);
    BOOST_TEST((n->message.find("too large") != std::string::npos) == (lr == 1.0), n->message);
    BOOST_TEST(n->reference == "L10");
  }
}

BOOST_AUTO_TEST_CASE(probabilities_of_exactly_0_or_1_reaching_bce) {
  Tensor p = tensor({0.0, 0.5, 1.0, 0.3}, kFloat64).requires_grad_();
  Tensor y = tensor({0.0, 1.0, 1.0, 0.0}, kFloat64);
  Diagnostics diag({{"p", p, ParamRole::kWeight}});
  diag.after_forward(binary_cross_entropy(p, y));
  const std::vector<DiagnosticLine> lines = diag.report();
  const DiagnosticLine* d = find(lines, "log(0)", "binary_cross_entropy");
  BOOST_TEST_REQUIRE(d);
  BOOST_TEST(d->message.find("2 of 4 probabilities exactly 0 or 1") == 0u, d->message);
  BOOST_TEST(d->warning);
  Diagnostics fine({{"p", p, ParamRole::kWeight}});
  Tensor q = tensor({0.2, 0.7}, kFloat64).requires_grad_();
  fine.after_forward(binary_cross_entropy(q, tensor({0.0, 1.0}, kFloat64)));
  // Nothing recorded (no input requires grad): nothing to read, no crash.
  fine.after_forward(binary_cross_entropy(tensor({1.0}, kFloat64), tensor({1.0}, kFloat64)));
  BOOST_TEST(!any_warning(fine.report(), "log(0)"));
}

BOOST_AUTO_TEST_CASE(format_marks_warnings_and_names_the_lecture_claim) {
  const std::string text = Diagnostics::format(
      {{"L11", "symmetry", "0.weight", "x", true}, {"L7", "saturation", "s", "y", false}});
  BOOST_TEST(text == "  ! L11   symmetry   0.weight: x\n    L7    saturation s: y\n");
}

BOOST_AUTO_TEST_SUITE_END()
