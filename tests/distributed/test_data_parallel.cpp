// DataParallel: N ranks train exactly as one process does on the global
// batch (to float32 summation error, dropout and uneven batches included),
// the replicas stay bit-identical, and two N-rank runs are bit-identical.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdio>

#include "framework/data/data_loader.h"
#include "framework/generator.h"
#include "models/distributed/data_parallel.h"
#include "models/train/builders.h"
#include "ops/softmax_cross_entropy.h"
#include "tests/test_messages.h"

namespace {
using namespace xgrad;
using xgrad::testing::message_is;

constexpr std::size_t kSide = 20, kPixels = kSide * kSide;

// n images (1, 20, 20) in 3 classes, each class brightening its own band of
// rows: learnable in a few steps, small, seeded.
Dataset images(std::size_t n, std::uint64_t seed) {
  Generator gen(seed);
  Array x = gen.normal({n, 1, kSide, kSide}, 0.0, 1.0, kFloat32);
  Array y = Array::empty({n}, kFloat32);
  const std::size_t band = kPixels / 3;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t c = i % 3;
    y.set(i, double(c));
    for (std::size_t j = c * band; j < (c + 1) * band; ++j) {
      x.set(i * kPixels + j, x.at(i * kPixels + j) + 1.0);
    }
  }
  return {x, y};
}

struct Run {
  std::shared_ptr<Module> model;
  std::unique_ptr<Optimizer> opt;
};

Run make_run(const std::string& optimizer, double dropout) {
  ModelSpec spec;
  spec.kind = "cnn";
  spec.image = kSide;
  spec.classes = 3;
  spec.conv1 = 4;
  spec.conv2 = 6;
  spec.dropout = dropout;
  spec.seed = 11;
  Run r;
  r.model = make_model(spec);
  OptimizerSpec o;
  o.kind = optimizer;
  // Learning rates where training is stable: with a much larger one
  // (momentum 0.05, effective step 0.5) rounding differences grow
  // chaotically within 50 steps (max-pool and ReLU decisions flip).
  o.lr = optimizer == "momentum" ? 0.01 : 0.001;
  r.opt = make_optimizer(o, r.model->parameters());
  return r;
}

// `steps` optimiser steps of one process with global batch `batch`.
void train_alone(Run& r, const Dataset& data, std::size_t batch, std::size_t steps) {
  DataLoader loader(data, batch, true, /*seed=*/5);
  std::size_t done = 0;
  for (std::size_t epoch = 0; done < steps; ++epoch) {
    for (const Batch& b : loader.epoch(epoch)) {
      r.opt->zero_grad();
      softmax_cross_entropy((*r.model)(b.x), b.y).backward();
      r.opt->step();
      if (++done == steps) return;
    }
  }
}

// The same on every rank of `world`, each on its shard of every batch.
void train_parallel(Run& r, const Communicator& world, const Dataset& data, std::size_t batch,
                    std::size_t steps, ReducerOptions options = {}) {
  DataParallel dp(world, *r.model, options);
  DataLoader loader(data, batch, true, /*seed=*/5);
  std::size_t done = 0;
  for (std::size_t epoch = 0; done < steps; ++epoch) {
    const std::vector<std::size_t> order = loader.order(epoch);
    for (std::size_t i = 0; i < loader.batch_count() && done < steps; ++i, ++done) {
      const std::vector<std::size_t> rows = global_batch(order, i, batch);
      r.opt->zero_grad();
      const Shard s = dp.begin_step(rows.size());
      if (!s.empty()) {
        Batch b = loader.gather(rows_of(rows, s));
        softmax_cross_entropy(dp.forward(b.x), b.y).backward();
      }
      dp.end_step();
      r.opt->step();
    }
  }
  dp.check_replicas(r.opt.get());
}

// Largest, over parameter tensors, of max|a - b| / max|b|.
double max_relative_difference(const Module& a, const Module& b) {
  const std::vector<Parameter> pa = a.parameters(), pb = b.parameters();
  double worst = 0;
  for (std::size_t k = 0; k < pa.size(); ++k) {
    double scale = 0;
    const Array& vb = pb[k].tensor.value();
    for (std::size_t i = 0; i < vb.size(); ++i) scale = std::max(scale, std::abs(vb.at(i)));
    worst = std::max(worst, max_abs_diff(pa[k].tensor.value(), vb) / scale);
  }
  return worst;
}

std::uint64_t state_fingerprint(const Run& r) {
  NamedArrays s = r.model->state_dict();
  for (auto& e : r.opt->state_dict()) s.push_back(std::move(e));
  return fingerprint(s);
}

// N ranks against one process, then a second N-rank run against the first.
void check_equal_to_one_process(const std::string& optimizer, double dropout, std::size_t batch,
                                std::size_t bucket_bytes, double tolerance) {
  Communicator world;
  const Dataset data = images(97, 3);  // batch 10: 9 full batches and one of 7 per epoch
  const std::size_t steps = 50;
  Run alone = make_run(optimizer, dropout);
  train_alone(alone, data, batch, steps);
  ReducerOptions options;
  options.bucket_bytes = bucket_bytes;
  Run first = make_run(optimizer, dropout), second = make_run(optimizer, dropout);
  train_parallel(first, world, data, batch, steps, options);
  train_parallel(second, world, data, batch, steps, options);

  const double diff = max_relative_difference(*first.model, *alone.model);
  if (world.rank() == 0) {
    std::printf(
        "%d ranks vs one process, %s, dropout %.1f, batch %zu, buckets of %zu B, %zu "
        "steps: max relative difference %.2e\n",
        world.size(), optimizer.c_str(), dropout, batch, bucket_bytes, steps, diff);
  }
  BOOST_TEST(diff <= tolerance);
  BOOST_TEST(diff > 0.0);  // a different summation order: equal bits would mean no reduction ran
  BOOST_TEST(world.ranks_differing_from_root(state_fingerprint(first)) == "");
  BOOST_TEST(state_fingerprint(first) == state_fingerprint(second));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(distributed_data_parallel_tests)

// Tolerances: SGD with momentum stays within a few float32 roundings
// (measured 2-4e-7 after 50 steps); Adam divides by sqrt(v), which turns
// rounding-level differences of tiny gradients into larger steps (measured
// 1.7e-5). An unweighted mean of uneven shards, or dropout masks drawn
// from the wrong place, differ by 1e-2 to 1 from the first steps on.
BOOST_AUTO_TEST_CASE(n_ranks_train_as_one_process_sgd_momentum_with_dropout) {
  // 256-byte buckets: every tensor but the biases spans or fills buckets.
  check_equal_to_one_process("momentum", 0.3, 10, 256, 2e-6);
}

BOOST_AUTO_TEST_CASE(n_ranks_train_as_one_process_adam_with_dropout) {
  check_equal_to_one_process("adam", 0.3, 10, 1 << 20, 1e-4);
}

BOOST_AUTO_TEST_CASE(batches_smaller_than_the_ranks) {
  // Batch 2: with 3 ranks the last one never has a row.
  check_equal_to_one_process("momentum", 0.3, 2, 1 << 20, 2e-6);
}

BOOST_AUTO_TEST_CASE(broadcast_state_and_check_replicas) {
  Communicator world;
  Run r = make_run("adam", 0.0);
  DataParallel dp(world, *r.model);
  dp.check_replicas(r.opt.get());
  // Rank 1 alone changes a weight and its optimiser state: caught.
  if (world.rank() == 1) {
    const Dataset data = images(8, 4);
    train_alone(r, data, 4, 2);
  }
  BOOST_CHECK_EXCEPTION(
      dp.check_replicas(r.opt.get()), CollectiveError,
      message_is<CollectiveError>(
          "the model replicas diverged: rank(s) 1 hold parameters, buffers or optimiser state "
          "that differ from rank 0's (a non-deterministic reduction, or a rank that changed its "
          "model outside the training step)"));
  dp.broadcast_state(r.opt.get());  // rank 0's state everywhere again
  dp.check_replicas(r.opt.get());
  BOOST_TEST(r.opt->step_count() == 0u);
}

BOOST_AUTO_TEST_CASE(misuse_is_named) {
  Communicator world;
  Run r = make_run("sgd", 0.0);
  DataParallel dp(world, *r.model);
  BOOST_CHECK_EXCEPTION(dp.end_step(), GraphError,
                        message_is<GraphError>("DataParallel::end_step: call begin_step() first"));
  const Shard s = dp.begin_step(6);
  BOOST_CHECK_EXCEPTION(
      dp.forward(Tensor(Array::zeros({s.size() + 1, 1, kSide, kSide}, kFloat32))), ShapeError,
      message_is<ShapeError>("DataParallel::forward: the input must hold this rank's " +
                             std::to_string(s.size()) + " rows of the global batch: input (" +
                             std::to_string(s.size() + 1) + ", 1, 20, 20)"));
  dp.end_step();
}

BOOST_AUTO_TEST_SUITE_END()
