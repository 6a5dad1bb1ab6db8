// The training loop: resume is bit-exact, outputs are written, scores are
// counted right; divergence stops training without touching the files;
// resume refuses checkpoints of another model or optimiser and impossible
// numbers; a run with no epochs left writes nothing.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <fstream>
#include <sstream>

#include "framework/generator.h"
#include "framework/io/npz.h"
#include "models/layers/linear.h"
#include "models/train/builders.h"
#include "models/train/trainer.h"
#include "ops/arithmetic.h"
#include "ops/elementwise.h"
#include "tests/framework/temp_dir.h"
#include "tests/models/train/train_test_util.h"
#include "tests/test_messages.h"
#include "tests/test_values.h"

namespace {
using namespace xgrad;
using xgrad::testing::blobs;
using xgrad::testing::check_same_arrays;
using xgrad::testing::make_run;
using xgrad::testing::message_is;
using xgrad::testing::quiet_options;
using xgrad::testing::read_bytes;
using xgrad::testing::Run;
using xgrad::testing::same_bits;
namespace fs = std::filesystem;

// logits = Linear(x) · √gate with gate = 0: a finite loss (log 3) whose
// gradient for `gate` is dJ/dy / (2√0), infinite.
struct SqrtGate : Module {
  SqrtGate() {
    Generator gen(1);
    lin = register_module("lin", std::make_shared<Linear>(6, 3, gen));
    gate = register_parameter("gate", Tensor(Array::zeros({1}, kFloat32)), ParamRole::kWeight);
  }
  Tensor forward(const Tensor& x) override { return (*lin)(x)*sqrt(gate); }
  std::string name() const override { return "SqrtGate"; }
  std::shared_ptr<Linear> lin;
  Tensor gate;
};

// Gradient descent that sets every parameter to +inf at step `boom`: finite
// loss and gradients, non-finite weights.
class Explode : public Optimizer {
 public:
  Explode(std::vector<Parameter> params, std::uint64_t boom)
      : Optimizer("Explode", std::move(params), 0.1), boom_(boom) {}

 private:
  void update(const ParamUpdate& p) override {
    const bool boom = step_count() == boom_;
    p.for_each<0>([=](auto& theta, auto g) {
      using T = decltype(g);
      theta = boom ? T(INFINITY) : theta - T(0.1) * g;
    });
  }
  std::uint64_t boom_;
};

// Number of lines of a text file.
std::size_t lines_of(const fs::path& path) {
  const std::string text = read_bytes(path);
  return std::size_t(std::count(text.begin(), text.end(), '\n'));
}

// A copy of `from` at `to` with entry `name`'s element i set to v.
void save_with(const std::string& from, const std::string& to, const std::string& name,
               std::size_t i, double v) {
  NamedArrays all = load_npz(from);
  bool found = false;
  for (auto& [n, a] : all) {
    if (n == name) a.set(i, v), found = true;
  }
  BOOST_TEST_REQUIRE(found, name);
  save_npz(to, all);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(models_train_trainer_tests)

BOOST_AUTO_TEST_CASE(resume_after_two_epochs_equals_three_straight) {
  const Dataset train = blobs(200, 1), test = blobs(60, 2);
  const auto dir = xgrad::testing::temp_dir("trainer_resume");

  Run straight = make_run();
  Trainer(*straight.model, *straight.opt, train, test, quiet_options(3, (dir / "a").string()))
      .fit();

  Run first = make_run();
  Trainer(*first.model, *first.opt, train, test, quiet_options(2, (dir / "b").string())).fit();
  Run resumed = make_run();
  Trainer t(*resumed.model, *resumed.opt, train, test, quiet_options(3, (dir / "c").string()));
  t.resume((dir / "b" / "checkpoint.npz").string());
  BOOST_TEST(t.epochs_done() == 2u);
  std::vector<EpochMetrics> history = t.fit();
  BOOST_TEST(history.size() == 3u);

  // Parameters, dropout streams and optimiser state: the same bits.
  const NamedArrays want = straight.model->state_dict();
  check_same_arrays(resumed.model->state_dict(), want);
  check_same_arrays(resumed.opt->state_dict(), straight.opt->state_dict());
  // And the run after 2 epochs really differs from the one after 3.
  BOOST_TEST(!same_bits(first.model->state_dict()[0].second, want[0].second));
}

BOOST_AUTO_TEST_CASE(writes_metrics_plot_and_checkpoints) {
  const Dataset train = blobs(300, 3), test = blobs(90, 4);
  const auto dir = xgrad::testing::temp_dir("trainer_outputs");
  Run r = make_run();
  std::vector<EpochMetrics> h =
      Trainer(*r.model, *r.opt, train, test, quiet_options(2, dir.string())).fit();
  for (const char* f : {"metrics.csv", "training.svg", "checkpoint.npz", "checkpoint_epoch1.npz",
                        "checkpoint_epoch2.npz"}) {
    BOOST_TEST_INFO(f);
    BOOST_TEST(std::filesystem::exists(dir / f));
  }
  std::ifstream in(dir / "metrics.csv");
  std::stringstream ss;
  ss << in.rdbuf();
  BOOST_TEST(ss.str() == metrics_csv(h));
  BOOST_TEST(ss.str().rfind("epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds\n1,",
                            0) == 0);
  // Blobs 3 standard deviations apart are learnt.
  BOOST_TEST(h.back().test_accuracy > 0.9);
  BOOST_TEST(h.back().train_loss < h.front().train_loss);
}

BOOST_AUTO_TEST_CASE(count_correct_uses_row_argmax) {
  Array logits(xt::xarray<double>{{0.1, 2.0, -1.0}, {3.0, 0.0, 0.0}, {0.0, 0.0, 5.0}});
  Array labels(xt::xarray<double>{1, 2, 2});
  BOOST_TEST(count_correct(logits, labels) == 2u);
}

// Issue 11: int64 class labels train exactly as float labels do (the loss
// reads the same class indices): the same bits after two epochs.
BOOST_AUTO_TEST_CASE(int64_labels_train_as_float_labels) {
  const Dataset train = blobs(200, 1), test = blobs(60, 2);
  const Dataset train64{train.x, train.y.to(kInt64)}, test64{test.x, test.y.to(kInt64)};
  Run a = make_run(), b = make_run();
  std::vector<EpochMetrics> ha = Trainer(*a.model, *a.opt, train, test, quiet_options(2, "")).fit();
  std::vector<EpochMetrics> hb =
      Trainer(*b.model, *b.opt, train64, test64, quiet_options(2, "")).fit();
  check_same_arrays(b.model->state_dict(), a.model->state_dict());
  BOOST_TEST(hb.back().train_loss == ha.back().train_loss);
  BOOST_TEST(hb.back().test_accuracy == ha.back().test_accuracy);
  BOOST_TEST(hb.back().test_accuracy > 0.9);
  Array logits(xt::xarray<double>{{0.1, 2.0, -1.0}, {3.0, 0.0, 0.0}, {0.0, 0.0, 5.0}});
  BOOST_TEST(count_correct(logits, Array(xt::xarray<std::int64_t>{1, 2, 2})) == 2u);
}

// A scheduler is stepped after every optimiser step (13 batches an epoch),
// and a resumed run sets its count from the optimiser's: 2 epochs + 1
// resumed give the same bits as 3 straight.
BOOST_AUTO_TEST_CASE(a_scheduler_steps_per_batch_and_resumes) {
  const Dataset train = blobs(200, 1), test = blobs(60, 2);
  const auto dir = xgrad::testing::temp_dir("trainer_scheduler");
  auto run = [&](std::size_t epochs, const std::string& out, const std::string& resume) {
    Run r = make_run();
    auto warm = std::make_shared<LinearLR>(*r.opt, 0.1, 1.0, 10);
    auto cosine = std::make_shared<CosineAnnealingLR>(*r.opt, 29);
    auto sched = std::make_shared<SequentialLR>(
        *r.opt, std::vector<std::shared_ptr<LRScheduler>>{warm, cosine},
        std::vector<std::size_t>{10});
    TrainOptions o = quiet_options(epochs, out);
    o.scheduler = sched.get();
    Trainer t(*r.model, *r.opt, train, test, o);
    if (!resume.empty()) t.resume(resume);
    t.fit();
    BOOST_TEST(sched->last_epoch() == 13 * epochs);
    BOOST_TEST(r.opt->lr() == sched->lr_at(0.01, 13 * epochs));
    return r;
  };
  Run straight = run(3, "", "");
  // 39 steps: 10 of warm-up, then cosine t' = 29 = T_max: the minimum, 0.
  BOOST_TEST(straight.opt->lr() == 0.0);
  run(2, dir.string(), "");
  Run resumed = run(3, "", (dir / "checkpoint.npz").string());
  check_same_arrays(resumed.model->state_dict(), straight.model->state_dict());
  check_same_arrays(resumed.opt->state_dict(), straight.opt->state_dict());
}

BOOST_AUTO_TEST_CASE(evaluate_scores_by_hand) {
  // A model whose logits are its input: loss and accuracy by hand.
  struct Identity : Module {
    Tensor forward(const Tensor& x) override { return x; }
    std::string name() const override { return "Identity"; }
  } id;
  Dataset d{Array(xt::xarray<double>{{0.0, 0.0}, {2.0, 0.0}}), Array(xt::xarray<double>{0, 1})};
  Evaluation e = evaluate(id, d, 1);
  const double loss0 = std::log(2.0), loss1 = 2.0 + std::log(1.0 + std::exp(-2.0));
  BOOST_TEST(e.loss == (loss0 + loss1) / 2, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(e.accuracy == 0.5);  // row 0 ties: argmax picks class 0, the label
}

// Issue 14, item 2: a loss that becomes non-finite stops training, naming the
// epoch and the step; the checkpoint of the last good epoch stays as it was.
BOOST_AUTO_TEST_CASE(a_non_finite_loss_stops_training_and_keeps_the_files) {
  const Dataset train = blobs(200, 1), test = blobs(60, 2);
  const auto dir = xgrad::testing::temp_dir("trainer_diverges");
  Run good = make_run();
  Trainer(*good.model, *good.opt, train, test, quiet_options(1, dir.string())).fit();
  const std::string saved = read_bytes(dir / "checkpoint.npz");

  // The same optimiser (lr is not part of its description) at a rate that
  // diverges: step 1 of epoch 2 moves every weight by about 1e30.
  Run wild = make_run({"adam", 1e30, 0.001});
  Trainer t(*wild.model, *wild.opt, train, test, quiet_options(3, dir.string()));
  t.resume((dir / "checkpoint.npz").string());
  BOOST_CHECK_EXCEPTION(t.fit(), ValueError,
                        message_is("Trainer: epoch 2, step 2 of 13: the loss is not finite: "
                                   "training diverged; a lower learning rate may help"));
  BOOST_TEST((read_bytes(dir / "checkpoint.npz") == saved));
  BOOST_TEST(!fs::exists(dir / "checkpoint_epoch2.npz"));
  BOOST_TEST(lines_of(dir / "metrics.csv") == 2u);  // the header and epoch 1
}

// Issue 14, item 2: a non-finite gradient stops training naming the parameter
// (the loss is finite); nothing is written.
BOOST_AUTO_TEST_CASE(a_non_finite_gradient_stops_training_naming_the_parameter) {
  const Dataset train = blobs(200, 1), test = blobs(60, 2);
  const auto dir = xgrad::testing::temp_dir("trainer_gradient");
  SqrtGate model;
  Sgd opt(model.parameters(), {0.1});
  Trainer t(model, opt, train, test, quiet_options(2, dir.string()));
  BOOST_CHECK_EXCEPTION(
      t.fit(), ValueError,
      message_is("Trainer: epoch 1, step 1 of 13: the gradient of 'gate' is not finite"));
  BOOST_TEST(!fs::exists(dir / "checkpoint.npz"));
  BOOST_TEST(!fs::exists(dir / "metrics.csv"));
}

// Issue 14, item 2: weights that end an epoch non-finite (finite loss and
// gradients all along) are never written over the last good checkpoint.
BOOST_AUTO_TEST_CASE(non_finite_weights_are_never_written) {
  const Dataset train = blobs(200, 1), test = blobs(60, 2);
  const auto dir = xgrad::testing::temp_dir("trainer_explodes");
  Run r = make_run();
  Explode opt(r.model->parameters(), 2);  // one step per epoch: epoch 2 explodes
  TrainOptions o = quiet_options(3, dir.string());
  o.batch_size = 1000;
  Trainer t(*r.model, opt, train, test, o);
  BOOST_CHECK_EXCEPTION(t.fit(), ValueError,
                        message_is("Trainer: epoch 2: parameter '0.weight' holds inf at (0, 0) "
                                   "after the epoch; nothing was written (the files in " +
                                   dir.string() + " are those of epoch 1)"));
  BOOST_TEST((read_bytes(dir / "checkpoint.npz") == read_bytes(dir / "checkpoint_epoch1.npz")));
  BOOST_TEST(!fs::exists(dir / "checkpoint_epoch2.npz"));
  BOOST_TEST(lines_of(dir / "metrics.csv") == 2u);
  BOOST_TEST(t.epochs_done() == 1u);
}

// Issue 14, item 7: the checkpoint records the model and the optimiser, and
// resume refuses another activation, Adam into AdamW, momentum into
// Nesterov, naming both; the model is left as it was.
BOOST_AUTO_TEST_CASE(resume_refuses_another_model_or_optimizer) {
  const Dataset train = blobs(200, 1), test = blobs(60, 2);
  const auto dir = xgrad::testing::temp_dir("trainer_mismatch");
  Run adam = make_run();
  Trainer(*adam.model, *adam.opt, train, test, quiet_options(1, (dir / "adam").string())).fit();
  Run momentum = make_run({"momentum", 0.01});
  Trainer(*momentum.model, *momentum.opt, train, test, quiet_options(1, (dir / "m").string()))
      .fit();
  const std::string a = (dir / "adam" / "checkpoint.npz").string();
  const std::string m = (dir / "m" / "checkpoint.npz").string();

  // What is recorded reads back as text.
  std::string text;
  for (const auto& [name, value] : load_npz(a)) {
    if (name != "meta/optimizer") continue;
    for (std::size_t i = 0; i < value.size(); ++i) text += char(value.at(i));
  }
  BOOST_TEST(text == "Adam(betas=(0.9, 0.999), eps=1e-08, weight_decay=0.001)");

  auto refuses = [&](Run& r, const std::string& path, const std::string& message) {
    const NamedArrays before = r.model->state_dict();
    Trainer t(*r.model, *r.opt, train, test, quiet_options(2, ""));
    BOOST_CHECK_EXCEPTION(t.resume(path), FileError, message_is(path + ": " + message));
    check_same_arrays(r.model->state_dict(), before);
    BOOST_TEST(t.epochs_done() == 0u);
  };
  Run tanh_run = make_run({"adam", 0.01, 0.001}, "tanh");
  refuses(tanh_run, a,
          "the checkpoint's model is Mlp(6-16-3, relu, dropout=0.3), this run's is "
          "Mlp(6-16-3, tanh, dropout=0.3)");
  Run adamw = make_run({"adamw", 0.01, 0.001});
  refuses(adamw, a,
          "the checkpoint's optimizer is Adam(betas=(0.9, 0.999), eps=1e-08, "
          "weight_decay=0.001), this run's is AdamW(betas=(0.9, 0.999), eps=1e-08, "
          "weight_decay=0.001)");
  Run nesterov = make_run({"nesterov", 0.01});
  refuses(nesterov, m,
          "the checkpoint's optimizer is SGD(momentum=0.9), this run's is SGD(momentum=0.9, "
          "nesterov)");
  // The same parameters in two groups, the second without weight decay.
  Run grouped = make_run();
  std::vector<Parameter> p = grouped.model->parameters();
  grouped.opt =
      std::make_unique<Adam>(std::vector<ParamGroup>{{{p[0], p[1]}}, {{p[2], p[3]}, {}, 0.0}},
                             AdamOptions{.lr = 0.01, .weight_decay = 0.001});
  refuses(grouped, a,
          "the checkpoint's optimizer is Adam(betas=(0.9, 0.999), eps=1e-08, "
          "weight_decay=0.001), this run's is Adam(betas=(0.9, 0.999), eps=1e-08, "
          "weight_decay=0.001, param_groups=[(params=2, weight_decay=0.001), (params=2, "
          "weight_decay=0)])");
  Run same = make_run({"momentum", 0.05});  // another lr is the same optimiser
  Trainer(*same.model, *same.opt, train, test, quiet_options(2, "")).resume(m);
}

// Issue 14, item 7: every number read back is checked: weights and
// optimiser state finite, Adam's v non-negative, the history's epochs
// 1..N and its values in range.
BOOST_AUTO_TEST_CASE(resume_refuses_impossible_numbers) {
  const Dataset train = blobs(200, 1), test = blobs(60, 2);
  const auto dir = xgrad::testing::temp_dir("trainer_numbers");
  Run r = make_run();
  Trainer(*r.model, *r.opt, train, test, quiet_options(1, dir.string())).fit();
  const std::string good = (dir / "checkpoint.npz").string();
  const std::string bad = (dir / "bad.npz").string();
  auto refuses = [&](const std::string& name, std::size_t i, double v, const std::string& what) {
    save_with(good, bad, name, i, v);
    Run fresh = make_run();
    Trainer t(*fresh.model, *fresh.opt, train, test, quiet_options(2, ""));
    BOOST_CHECK_EXCEPTION(t.resume(bad), FileError, message_is(bad + ": " + what));
  };
  refuses("model/0.weight", 7, NAN,
          "'model/0.weight' holds nan at (1, 1); a checkpoint with non-finite weights cannot be "
          "resumed");
  refuses("model/3.bias", 0, -INFINITY,
          "'model/3.bias' holds -inf at (0); a checkpoint with non-finite weights cannot be "
          "resumed");
  refuses("optim/0.weight.v", 0, -1.0,
          "optimizer state (optim/...) does not fit Adam: Adam load_state_dict: '0.weight.v' "
          "holds -1 at (0, 0); it must be non-negative and finite");
  refuses("optim/0.weight.m", 3, NAN,
          "optimizer state (optim/...) does not fit Adam: Adam load_state_dict: '0.weight.m' "
          "holds nan at (0, 3); it must be finite");
  refuses("meta/history", 0, NAN, "meta/history row 1: epoch must be 1, got nan");
  refuses("meta/history", 0, -5, "meta/history row 1: epoch must be 1, got -5");
  refuses("meta/history", 0, 1e30, "meta/history row 1: epoch must be 1, got 1e+30");
  refuses("meta/history", 2, 1.5, "meta/history row 1: train accuracy must be in [0, 1], got 1.5");
  refuses("meta/history", 1, -0.5,
          "meta/history row 1: train loss must be finite and >= 0, got -0.5");
  refuses("meta/history", 5, INFINITY,
          "meta/history row 1: seconds must be finite and >= 0, got inf");
  Run fresh = make_run();
  Trainer(*fresh.model, *fresh.opt, train, test, quiet_options(2, "")).resume(good);
}

// Issue 14, item 15: resuming with no epochs left trains nothing and
// writes nothing (xgrad-train then says so instead of "wrote ...").
BOOST_AUTO_TEST_CASE(no_epochs_left_writes_nothing) {
  const Dataset train = blobs(200, 1), test = blobs(60, 2);
  const auto dir = xgrad::testing::temp_dir("trainer_nothing_left");
  Run r = make_run();
  Trainer first(*r.model, *r.opt, train, test, quiet_options(2, (dir / "a").string()));
  first.fit();
  BOOST_TEST(first.epochs_trained() == 2u);
  Run again = make_run();
  Trainer t(*again.model, *again.opt, train, test, quiet_options(2, (dir / "b").string()));
  t.resume((dir / "a" / "checkpoint.npz").string());
  BOOST_TEST(t.fit().size() == 2u);
  BOOST_TEST(t.epochs_trained() == 0u);
  BOOST_TEST(!fs::exists(dir / "b"));
}

BOOST_AUTO_TEST_SUITE_END()
