// The benchmark workloads of xgrad-bench (definitions: the peers' README,
// ../shared/bench/peers/README.md, "Workloads"). Each prints RESULT lines
// (bench_common.h) for the cases it runs.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "framework/io/idx.h"
#include "models/module.h"
#include "models/optim/optimizer.h"

namespace xgrad::bench {

struct BenchOptions {
  int reps = 2;          // training runs per W4/W5 case
  bool smoke = false;    // one tiny pass of each case (CI)
  bool baseline = true;  // also time the plain OpenBLAS baseline in W1
};

void run_w0(const BenchOptions& options);
void run_w1(const BenchOptions& options);
void run_w2(const BenchOptions& options);
void run_w3(const BenchOptions& options);
void run_w4(const BenchOptions& options);
void run_w5(const BenchOptions& options);

// A fresh model and optimiser for one training repetition.
struct TrainSetup {
  std::shared_ptr<Module> model;
  std::unique_ptr<Optimizer> optimizer;
};
// Times options.reps one-epoch trainings (W4, W5) and reports epoch time and
// test accuracy.
void run_epochs(const std::string& w, const std::string& label, ImageLayout layout,
                const BenchOptions& options, const std::function<TrainSetup(unsigned)>& make);

}  // namespace xgrad::bench
