// Tests for models/optim/lr_schedule.h: every scheduler against its closed
// form at hand-picked steps (written out here, not read from the code),
// per-group base learning rates, warm-up then cosine with SequentialLR,
// OneCycleLR's two phases, set_last_epoch for a resumed run, and errors.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/error.h"
#include "models/optim/lr_schedule.h"
#include "models/optim/sgd.h"
#include "tests/models/optim/optimizer_checks.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::test::make_params;
using xgrad::testing::message_is;

namespace {
constexpr double kPi = 3.14159265358979323846;

// The optimiser's lr after t = 0, 1, ..., expected.size() − 1 scheduler steps.
void check_lrs(Optimizer& opt, LRScheduler& s, const std::vector<double>& expected,
               double tol = 1e-15) {
  for (std::size_t t = 0; t < expected.size(); ++t) {
    if (t > 0) s.step();
    BOOST_TEST(s.last_epoch() == t);
    BOOST_TEST(std::abs(opt.lr() - expected[t]) <= tol,
               "t = " << t << ": lr " << opt.lr() << ", expected " << expected[t]);
  }
}
}  // namespace

BOOST_AUTO_TEST_SUITE(models_optim_lr_schedule_tests)

BOOST_AUTO_TEST_CASE(step_multiplies_every_k_steps) {
  Sgd opt(make_params(1), 0.8);
  StepLR s(opt, 3, 0.5);
  check_lrs(opt, s, {0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2, 0.2, 0.1});
  BOOST_TEST(s.name() == "StepLR(step_size=3, gamma=0.5)");
  BOOST_TEST(s.base_lrs() == std::vector<double>{0.8});
}

BOOST_AUTO_TEST_CASE(multistep_exponential_constant_lambda) {
  Sgd a(make_params(1), 1.0);
  MultiStepLR m(a, {2, 5}, 0.1);
  check_lrs(a, m, {1, 1, 0.1, 0.1, 0.1, 0.01, 0.01}, 1e-17);
  BOOST_TEST(m.name() == "MultiStepLR(milestones=[2, 5], gamma=0.1)");
  Sgd b(make_params(1), 0.6);
  ExponentialLR e(b, 0.5);
  check_lrs(b, e, {0.6, 0.3, 0.15, 0.075});
  Sgd c(make_params(1), 0.6);
  ConstantLR k(c, 0.5, 3);
  check_lrs(c, k, {0.3, 0.3, 0.3, 0.6, 0.6});
  Sgd d(make_params(1), 0.5);
  LambdaLR l(d, [](std::size_t t) { return 1.0 / double(t + 1); });
  check_lrs(d, l, {0.5, 0.25, 0.5 / 3, 0.125});
}

// Linear warm-up: b · (f0 + (f1 − f0) · min(t, T) / T) with b = 1e-3, f0 = 0.1,
// f1 = 1, T = 4: 1e-4, 3.25e-4, 5.5e-4, 7.75e-4, then 1e-3 for good.
BOOST_AUTO_TEST_CASE(linear_warm_up) {
  Sgd opt(make_params(1), 1e-3);
  LinearLR s(opt, 0.1, 1.0, 4);
  check_lrs(opt, s, {1e-4, 3.25e-4, 5.5e-4, 7.75e-4, 1e-3, 1e-3}, 1e-18);
  BOOST_TEST(s.name() == "LinearLR(start_factor=0.1, end_factor=1, total_iters=4)");
}

BOOST_AUTO_TEST_CASE(cosine_annealing) {
  Sgd opt(make_params(1), 0.1);
  CosineAnnealingLR s(opt, 4, 0.02);
  // η + (b − η)(1 + cos(πt/T))/2 at t = 0..8: cos = 1, √½, 0, −√½, −1, then back up
  // (PyTorch's closed form is periodic past T_max).
  const double h = std::sqrt(0.5);
  check_lrs(opt, s,
            {0.1, 0.02 + 0.08 * (1 + h) / 2, 0.06, 0.02 + 0.08 * (1 - h) / 2, 0.02,
             0.02 + 0.08 * (1 - h) / 2, 0.06, 0.02 + 0.08 * (1 + h) / 2, 0.1},
            1e-16);
  BOOST_TEST(s.name() == "CosineAnnealingLR(T_max=4, eta_min=0.02)");
}

// Each group is scaled from its own base learning rate.
BOOST_AUTO_TEST_CASE(every_group_from_its_own_base) {
  std::vector<Parameter> p = make_params(2);
  Sgd opt({{{p[0]}, 0.1}, {{p[1]}, 0.01}}, SgdOptions{});
  StepLR s(opt, 1, 0.5);
  s.step();
  s.step();
  BOOST_TEST(s.base_lrs() == (std::vector<double>{0.1, 0.01}));
  BOOST_TEST(std::abs(opt.param_groups()[0].lr.value() - 0.025) < 1e-17);
  BOOST_TEST(std::abs(opt.param_groups()[1].lr.value() - 0.0025) < 1e-18);
  BOOST_TEST(s.get_last_lr().size() == 2u);
}

// The usual recipe: 2 warm-up steps from b/4, then cosine over 4 steps.
// The cosine scheduler is made after the warm-up one changed the lr, and
// still starts from b (the base both record).
BOOST_AUTO_TEST_CASE(sequential_warm_up_then_cosine) {
  const double b = 0.4;
  Sgd opt(make_params(1), b);
  auto warm = std::make_shared<LinearLR>(opt, 0.25, 1.0, 2);
  BOOST_TEST(opt.lr() == 0.1);
  auto cosine = std::make_shared<CosineAnnealingLR>(opt, 4);
  BOOST_TEST(cosine->base_lrs() == std::vector<double>{b});
  SequentialLR s(opt, {warm, cosine}, {2});
  const double h = std::sqrt(0.5);
  check_lrs(opt, s, {0.1, 0.25, b, b * (1 + h) / 2, b / 2, b * (1 - h) / 2, 0}, 1e-16);
  BOOST_TEST(s.name() ==
             "SequentialLR(LinearLR(start_factor=0.25, end_factor=1, total_iters=2), until 2, "
             "then CosineAnnealingLR(T_max=4, eta_min=0))");
}

// max_lr 1, 10 steps, pct_start 0.3: up from 1/25 over steps 0..2 (the peak
// at p·N − 1 = 2), down to 1/25/1e4 at step 9, both by half a cosine.
BOOST_AUTO_TEST_CASE(one_cycle) {
  Sgd opt(make_params(1), 0.5);
  OneCycleLR s(opt, 1.0, 10);
  const double lo = 0.04, min = 4e-6;
  auto down = [&](double pct) { return min + (1 - min) / 2 * (std::cos(kPi * pct) + 1); };
  check_lrs(opt, s,
            {lo, 1 + (lo - 1) / 2, 1, down(1.0 / 7), down(2.0 / 7), down(3.0 / 7), down(4.0 / 7),
             down(5.0 / 7), down(6.0 / 7), min},
            1e-15);
}

BOOST_AUTO_TEST_CASE(one_cycle_ends_after_total_steps) {
  Sgd opt(make_params(1), 0.5);
  OneCycleLR s(opt, 1.0, 4);
  for (int i = 0; i < 4; ++i) s.step();  // PyTorch allows step N
  BOOST_CHECK_EXCEPTION(s.step(), ValueError,
                        message_is("OneCycleLR: stepped 5 times; total_steps is 4"));
  BOOST_TEST(s.last_epoch() == 4u);  // unchanged
}

// A run resumed at step t sets the count: the same learning rate as t steps.
BOOST_AUTO_TEST_CASE(set_last_epoch_equals_stepping) {
  Sgd a(make_params(1), 0.3), b(make_params(1), 0.3);
  CosineAnnealingLR sa(a, 10, 0.01), sb(b, 10, 0.01);
  for (int i = 0; i < 7; ++i) sa.step();
  sb.set_last_epoch(7);
  BOOST_TEST(a.lr() == b.lr());
  BOOST_TEST(sb.last_epoch() == 7u);
}

BOOST_AUTO_TEST_CASE(bad_arguments) {
  Sgd opt(make_params(1), 0.1);
  BOOST_CHECK_EXCEPTION(StepLR(opt, 0), ValueError,
                        message_is("StepLR: step_size must be positive"));
  BOOST_CHECK_EXCEPTION(StepLR(opt, 2, -1.0), ValueError,
                        message_is("StepLR: gamma must be non-negative, got -1"));
  BOOST_CHECK_EXCEPTION(LinearLR(opt, 0.0), ValueError,
                        message_is("LinearLR: start_factor must be in (0, 1], got 0"));
  BOOST_CHECK_EXCEPTION(CosineAnnealingLR(opt, 0), ValueError,
                        message_is("CosineAnnealingLR: T_max must be positive"));
  BOOST_CHECK_EXCEPTION(MultiStepLR(opt, {3, 3}), ValueError,
                        message_is("MultiStepLR: milestones must increase, got 3 then 3"));
  auto one = std::make_shared<ExponentialLR>(opt, 0.9);
  BOOST_CHECK_EXCEPTION(SequentialLR(opt, {one}, {4}), ValueError,
                        message_is("SequentialLR: 1 schedulers need 0 milestones, got 1"));
  Sgd other(make_params(1), 0.1);
  auto elsewhere = std::make_shared<ExponentialLR>(other, 0.9);
  BOOST_CHECK_EXCEPTION(SequentialLR(opt, {one, elsewhere}, {4}), ValueError,
                        message_is("SequentialLR: scheduler 1 is over another optimiser"));
  BOOST_CHECK_EXCEPTION(OneCycleLR(opt, 1.0, 10, 1.0), ValueError,
                        message_is("OneCycleLR: pct_start must be in (0, 1), got 1"));
  LambdaLR bad(opt, [](std::size_t t) { return t < 2 ? 1.0 : -1.0; });
  bad.step();
  BOOST_CHECK_EXCEPTION(bad.step(), ValueError,
                        message_is("LambdaLR: the learning rate at step 2 must be non-negative "
                                   "and finite, got -0.1"));
  // A group added after the scheduler was made.
  StepLR late(opt, 1);
  opt.add_param_group({make_params(3, kFloat64, 1, 1)});
  BOOST_CHECK_EXCEPTION(late.step(), ValueError,
                        message_is("StepLR(step_size=1, gamma=0.1): made for 1 parameter groups, "
                                   "the optimiser has 2 (make the scheduler after "
                                   "add_param_group)"));
}

BOOST_AUTO_TEST_SUITE_END()
