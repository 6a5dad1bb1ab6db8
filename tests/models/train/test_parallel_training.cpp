// The Trainer with a ParallelTraining group, in one process (the MPI group
// is tested under mpirun in tests/distributed/): a group of one changes no
// bit, the Trainer calls the group once per step and per sum, and a
// non-writer prints and writes nothing.
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <filesystem>

#include "framework/generator.h"
#include "models/train/builders.h"
#include "models/train/trainer.h"
#include "tests/framework/temp_dir.h"
#include "tests/models/train/train_test_util.h"
#include "tests/test_values.h"

namespace {
using namespace xgrad;
using xgrad::testing::blobs;
using xgrad::testing::check_same_arrays;
using xgrad::testing::make_run;
using xgrad::testing::quiet_options;
using xgrad::testing::Run;

// A group of one process: every row is its own; counts the calls.
class GroupOfOne : public ParallelTraining {
 public:
  explicit GroupOfOne(bool writer) : writer_(writer) {}
  bool is_writer() const override { return writer_; }
  std::string describe() const override { return "one"; }
  void synchronize(Module&, Optimizer&, std::vector<EpochMetrics>&) override { ++syncs; }
  std::vector<std::size_t> begin_step(const std::vector<std::size_t>& rows) override {
    BOOST_TEST(!in_step);
    in_step = true;
    ++steps;
    return rows;
  }
  Tensor forward(Module& model, const Tensor& x) override { return model(x); }
  void end_step() override {
    BOOST_TEST(in_step);
    in_step = false;
  }
  void sum(std::vector<double>&) override { ++sums; }
  std::pair<std::size_t, std::size_t> share(std::size_t n) const override { return {0, n}; }
  void check(const Module&, const Optimizer&) override { ++checks; }

  int syncs = 0, steps = 0, sums = 0, checks = 0;
  bool in_step = false;

 private:
  bool writer_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(models_train_parallel_training_tests)

BOOST_AUTO_TEST_CASE(a_group_of_one_changes_no_bit) {
  const Dataset train = blobs(90, 1), test = blobs(30, 2);  // 6 steps per epoch (the last of 10)
  Run alone = make_run({"adam", 0.01, 0.0}), grouped = make_run({"adam", 0.01, 0.0});
  const auto h1 = Trainer(*alone.model, *alone.opt, train, test, quiet_options(2, "")).fit();
  GroupOfOne group(true);
  TrainOptions o = quiet_options(2, "");
  o.parallel = &group;
  const auto h2 = Trainer(*grouped.model, *grouped.opt, train, test, o).fit();
  check_same_arrays(alone.model->state_dict(), grouped.model->state_dict());
  check_same_arrays(alone.opt->state_dict(), grouped.opt->state_dict());
  BOOST_REQUIRE(h1.size() == h2.size());
  for (std::size_t i = 0; i < h1.size(); ++i) {
    BOOST_TEST(h1[i].train_loss == h2[i].train_loss);
    BOOST_TEST(h1[i].test_accuracy == h2[i].test_accuracy);
  }
  BOOST_TEST(group.syncs == 1);
  BOOST_TEST(group.steps == 12);
  BOOST_TEST(group.sums == 12 + 2);  // one per step, one per test evaluation
  BOOST_TEST(group.checks == 2);
}

BOOST_AUTO_TEST_CASE(a_non_writer_writes_nothing) {
  const auto dir = xgrad::testing::temp_dir("parallel_non_writer");
  const Dataset train = blobs(40, 1), test = blobs(10, 2);
  Run r = make_run({"adam", 0.01, 0.0});
  GroupOfOne group(false);
  TrainOptions o = quiet_options(2, (dir / "out").string());
  o.parallel = &group;
  o.progress = true;  // still silent: only the writer shows progress
  o.log = stdout;
  Trainer(*r.model, *r.opt, train, test, o).fit();
  BOOST_TEST(!std::filesystem::exists(dir / "out"));
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
