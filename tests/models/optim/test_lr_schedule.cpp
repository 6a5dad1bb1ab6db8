// Tests for models/optim/lr_schedule.h: step and cosine schedules against their
// closed forms at hand-picked epochs, clamping after T, names and errors.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/error.h"
#include "models/optim/lr_schedule.h"
#include "models/optim/sgd.h"
#include "tests/models/optim/optimizer_checks.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(models_optim_lr_schedule_tests)

BOOST_AUTO_TEST_CASE(constant) {
  ConstantLr s(0.1);
  BOOST_TEST(s.lr_at(0) == 0.1);
  BOOST_TEST(s.lr_at(1000) == 0.1);
  BOOST_TEST(s.name() == "constant(lr=0.1)");
}

BOOST_AUTO_TEST_CASE(step_multiplies_every_k_epochs) {
  StepLr s(0.8, 3, 0.5);
  const double expected[] = {0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2, 0.2, 0.1};
  for (std::size_t e = 0; e < 10; ++e) BOOST_TEST(std::abs(s.lr_at(e) - expected[e]) < 1e-15);
  BOOST_TEST(s.name() == "step(lr=0.8, every 3 epochs x0.5)");
}

BOOST_AUTO_TEST_CASE(cosine_goes_from_lr_to_min) {
  CosineLr s(0.1, 4, 0.02);
  // min + (lr − min)(1 + cos(πe/T))/2 at e = 0..4: cos = 1, √½, 0, −√½, −1
  const double h = std::sqrt(0.5);
  const double expected[] = {0.1, 0.02 + 0.08 * (1 + h) / 2, 0.06, 0.02 + 0.08 * (1 - h) / 2, 0.02};
  for (std::size_t e = 0; e < 5; ++e) BOOST_TEST(std::abs(s.lr_at(e) - expected[e]) < 1e-15);
  BOOST_TEST(s.lr_at(9) == 0.02);  // held at the minimum after T
  BOOST_TEST(s.name() == "cosine(lr=0.1 to 0.02 over 4 epochs)");
}

BOOST_AUTO_TEST_CASE(applied_with_set_lr) {
  std::vector<Parameter> p = xgrad::test::make_params(1);
  Sgd opt(p, {1.0});
  StepLr s(0.1, 2, 0.1);
  for (std::size_t e = 0; e < 5; ++e) {
    opt.set_lr(s.lr_at(e));
    BOOST_TEST(opt.lr() == s.lr_at(e));
  }
  BOOST_TEST(std::abs(opt.lr() - 0.001) < 1e-15);
}

BOOST_AUTO_TEST_CASE(arguments_are_checked) {
  BOOST_CHECK_EXCEPTION(StepLr(0.1, 0), ValueError,
                        message_is("StepLr: step_epochs must be positive"));
  BOOST_CHECK_EXCEPTION(StepLr(0.1, 2, 0.0), ValueError,
                        message_is("StepLr: gamma must be positive, got 0"));
  BOOST_CHECK_EXCEPTION(CosineLr(0.1, 0), ValueError,
                        message_is("CosineLr: total_epochs must be positive"));
  BOOST_CHECK_EXCEPTION(CosineLr(0.1, 5, 0.2), ValueError,
                        message_is("CosineLr: min_lr must be in [0, lr], got 0.2"));
  BOOST_CHECK_EXCEPTION(ConstantLr(-1), ValueError,
                        message_is("ConstantLr: lr must be non-negative and finite, got -1"));
}

BOOST_AUTO_TEST_SUITE_END()
