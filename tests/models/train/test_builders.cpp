#include <boost/test/unit_test.hpp>
#include <cmath>
#include <tuple>

#include "framework/error.h"
#include "framework/factory.h"
#include "models/optim/sgd.h"
#include "models/train/builders.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(models_train_builders_tests)

BOOST_AUTO_TEST_CASE(mlp_and_logreg_have_the_hand_counted_parameters) {
  ModelSpec mlp;  // 784-256-10
  BOOST_TEST(make_model(mlp)->parameter_count() == 784u * 256 + 256 + 256 * 10 + 10);
  ModelSpec logreg;
  logreg.kind = "logreg";
  std::shared_ptr<Module> m = make_model(logreg);
  BOOST_TEST(m->parameter_count() == 784u * 10 + 10);
  BOOST_TEST((m->forward(zeros({2, 784})).shape() == Shape{2, 10}));
}

BOOST_AUTO_TEST_CASE(same_seed_same_weights) {
  ModelSpec spec;
  spec.seed = 3;
  const Array a = make_model(spec)->state_dict()[0].second;
  const Array b = make_model(spec)->state_dict()[0].second;
  BOOST_TEST(max_abs_diff(a, b) == 0.0);
  spec.seed = 4;
  BOOST_TEST(max_abs_diff(a, make_model(spec)->state_dict()[0].second) > 0.0);
}

BOOST_AUTO_TEST_CASE(optimizer_kinds_and_defaults) {
  ModelSpec spec;
  spec.inputs = 3;
  spec.classes = 2;
  // The kinds, their classes and default rates as the README lists them.
  const std::vector<std::tuple<std::string, std::string, double>> expected{
      {"sgd", "SGD(lr=0.1)", 0.1},
      {"momentum", "SGD(lr=0.01, momentum=0.9)", 0.01},
      {"nesterov", "SGD(lr=0.01, momentum=0.9, nesterov)", 0.01},
      {"adagrad", "AdaGrad(lr=0.01, eps=1e-10, weight_decay=0)", 0.01},
      {"rmsprop", "RMSProp(lr=0.01, rho=0.99, eps=1e-08, weight_decay=0)", 0.01},
      {"adam", "Adam(lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0)", 1e-3},
      {"adamw", "AdamW(lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0)", 1e-3}};
  BOOST_TEST_REQUIRE(optimizer_kinds().size() >= expected.size());
  for (const auto& [kind, description, lr] : expected) {
    BOOST_TEST_INFO(kind);
    OptimizerSpec o;
    o.kind = kind;
    std::unique_ptr<Optimizer> opt = make_optimizer(o, make_model(spec)->parameters());
    BOOST_TEST(opt->describe() == description);
    BOOST_TEST(default_lr(kind) == lr);
  }
  // Every row of the table builds, under its own lr.
  for (const OptimizerKind& k : optimizer_table()) {
    BOOST_TEST_INFO(k.name);
    BOOST_TEST(make_optimizer({k.name, 0.5}, make_model(spec)->parameters())->lr() == 0.5);
  }
  std::unique_ptr<Optimizer> m =
      make_optimizer({"momentum", 0.05, 0, 0.8}, make_model(spec)->parameters());
  const auto* sgd = dynamic_cast<const Sgd*>(m.get());
  BOOST_REQUIRE(sgd != nullptr);
  BOOST_TEST(sgd->options().momentum == 0.8);
  BOOST_TEST(sgd->lr() == 0.05);
}

BOOST_AUTO_TEST_CASE(unknown_names_list_the_known_ones) {
  ModelSpec spec;
  spec.kind = "transformer";
  BOOST_CHECK_EXCEPTION(make_model(spec), ValueError,
                        message_is("unknown model 'transformer' (known: mlp, logreg, cnn)"));
  // The list is the table's, whatever it holds.
  std::string known;
  for (const OptimizerKind& k : optimizer_table())
    known += (known.empty() ? "" : ", ") + std::string(k.name);
  BOOST_TEST(known.rfind("sgd, momentum, nesterov, ", 0) == 0u);
  BOOST_CHECK_EXCEPTION(default_lr("lbfgs"), ValueError,
                        message_is("unknown optimizer 'lbfgs' (known: " + known + ")"));
}

// Issue 14, item 5: an option a model does not read is refused, naming the
// models that read it (--activation was silently ignored for logreg and cnn).
BOOST_AUTO_TEST_CASE(options_a_model_does_not_read_are_refused) {
  BOOST_CHECK_NO_THROW(check_model_options("mlp", {"hidden", "activation", "dropout"}));
  BOOST_CHECK_NO_THROW(check_model_options("cnn", {"channels", "dropout"}));
  BOOST_CHECK_EXCEPTION(
      check_model_options("logreg", {"activation"}), ValueError,
      message_is("--activation does not apply to --model logreg (it applies to: mlp)"));
  BOOST_CHECK_EXCEPTION(check_model_options("cnn", {"dropout", "hidden"}), ValueError,
                        message_is("--hidden does not apply to --model cnn (it applies to: mlp)"));
  BOOST_CHECK_EXCEPTION(
      check_model_options("mlp", {"channels"}), ValueError,
      message_is("--channels does not apply to --model mlp (it applies to: cnn)"));
  BOOST_CHECK_EXCEPTION(
      check_model_options("logreg", {"dropout"}), ValueError,
      message_is("--dropout does not apply to --model logreg (it applies to: mlp, cnn)"));
}

// xgrad-train's --lr-schedule and --warmup-steps: lr/N up to lr over N
// steps, then cosine to 0 at the last step (closed forms written out).
BOOST_AUTO_TEST_CASE(lr_schedules_for_a_run) {
  auto model = make_model({"logreg", 4, 3});
  std::unique_ptr<Optimizer> opt = make_optimizer({"sgd", 0.4}, model->parameters());
  BOOST_TEST(!make_lr_scheduler({}, *opt, 100));
  BOOST_TEST(opt->lr() == 0.4);
  std::unique_ptr<LRScheduler> warm = make_lr_scheduler({"constant", 4}, *opt, 100);
  BOOST_TEST(opt->lr() == 0.1);  // lr / 4
  for (int t = 0; t < 10; ++t) warm->step();
  BOOST_TEST(opt->lr() == 0.4);

  std::unique_ptr<Optimizer> o2 = make_optimizer({"sgd", 0.4}, model->parameters());
  std::unique_ptr<LRScheduler> s = make_lr_scheduler({"cosine", 2}, *o2, 6);
  const std::vector<double> want{
      0.2, 0.3, 0.4, 0.4 * (1 + std::sqrt(0.5)) / 2, 0.2, 0.4 * (1 - std::sqrt(0.5)) / 2, 0};
  for (std::size_t t = 0; t < want.size(); ++t) {
    if (t) s->step();
    BOOST_TEST(std::abs(o2->lr() - want[t]) < 1e-16, "t = " << t);
  }
  std::unique_ptr<Optimizer> o3 = make_optimizer({"sgd", 0.4}, model->parameters());
  std::unique_ptr<LRScheduler> c = make_lr_scheduler({"cosine"}, *o3, 4);
  c->step(), c->step();
  BOOST_TEST(std::abs(o3->lr() - 0.2) < 1e-16);
  BOOST_CHECK_EXCEPTION(make_lr_scheduler({"cosine", 6}, *o3, 6), ValueError,
                        message_is("--warmup-steps 6 leaves no steps for the cosine schedule: "
                                   "the run has 6 steps"));
  BOOST_CHECK_EXCEPTION(make_lr_scheduler({"linear"}, *o3, 6), ValueError,
                        message_is("unknown learning-rate schedule 'linear' (known: constant, "
                                   "cosine)"));
}

BOOST_AUTO_TEST_SUITE_END()
