// The training loop: resume is bit-exact, outputs are written, scores are
// counted right.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <fstream>
#include <sstream>

#include "framework/generator.h"
#include "models/train/builders.h"
#include "models/train/trainer.h"
#include "tests/framework/temp_dir.h"
#include "tests/test_values.h"

namespace {
using namespace xgrad;
using xgrad::testing::check_same_arrays;
using xgrad::testing::same_bits;

// Three Gaussian blobs in 6 dimensions: learnable, small, seeded.
Dataset blobs(std::size_t n, std::uint64_t seed) {
  Generator gen(seed);
  Array x = gen.normal({n, 6}, 0.0, 1.0, kFloat32);
  Array y = Array::empty({n}, kFloat32);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t c = i % 3;
    y.set(i, double(c));
    x.set(i * 6 + c, x.at(i * 6 + c) + 3.0);
  }
  return {x, y};
}

struct Run {
  std::shared_ptr<Module> model;
  std::unique_ptr<Optimizer> opt;
};

Run make_run() {
  ModelSpec spec;
  spec.inputs = 6;
  spec.classes = 3;
  spec.hidden = {16};
  spec.dropout = 0.3;  // the dropout stream must resume too
  spec.seed = 5;
  Run r{make_model(spec), nullptr};
  r.opt = make_optimizer({"adam", 0.01, 0.001}, r.model->parameters());
  return r;
}

TrainOptions quiet_options(std::size_t epochs, const std::string& out) {
  TrainOptions o;
  o.epochs = epochs;
  o.batch_size = 16;
  o.seed = 9;
  o.out_dir = out;
  o.progress = false;
  o.log = nullptr;
  return o;
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

BOOST_AUTO_TEST_SUITE_END()
