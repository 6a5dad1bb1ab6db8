// Helpers shared by the Trainer tests (test_trainer.cpp,
// test_parallel_training.cpp): a small learnable dataset, a seeded model with
// its optimiser, and quiet training options.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "framework/generator.h"
#include "models/train/builders.h"
#include "models/train/trainer.h"

namespace xgrad::testing {

// Three Gaussian blobs in 6 dimensions: learnable, small, seeded.
inline Dataset blobs(std::size_t n, std::uint64_t seed) {
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

// A 6-16-3 MLP with dropout 0.3 (so the dropout stream must resume too), seed 5.
inline Run make_run(OptimizerSpec optimizer = {"adam", 0.01, 0.001},
                    std::string activation = "relu") {
  ModelSpec spec;
  spec.inputs = 6;
  spec.classes = 3;
  spec.hidden = {16};
  spec.activation = activation;
  spec.dropout = 0.3;
  spec.seed = 5;
  Run r{make_model(spec), nullptr};
  r.opt = make_optimizer(optimizer, r.model->parameters());
  return r;
}

// Batch 16, seed 9, no progress bar and no log.
inline TrainOptions quiet_options(std::size_t epochs, const std::string& out) {
  TrainOptions o;
  o.epochs = epochs;
  o.batch_size = 16;
  o.seed = 9;
  o.out_dir = out;
  o.progress = false;
  o.log = nullptr;
  return o;
}

}  // namespace xgrad::testing
