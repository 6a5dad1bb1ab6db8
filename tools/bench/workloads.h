// The benchmark workloads of xgrad-bench (definitions: tools/bench/README.md,
// "Workloads"). Each prints RESULT lines (bench_common.h) for the cases it runs and adds
// its rows to the closing table: the value beside its limit on this machine (the work's
// FLOPs at the FMA peak W0 measured in the same run) and the kernel path that ran.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "framework/io/idx.h"
#include "models/module.h"
#include "models/optim/optimizer.h"

namespace xgrad::bench {

struct BenchOptions {
  int reps = 2;          // training runs per W4/W5 case
  bool smoke = false;    // one tiny pass of each case (CI)
  bool baseline = true;  // also time the plain OpenBLAS baseline in W1
};

// The machine's FMA peak at the run's thread count, measured once per process (W0).
struct Peak {
  double gflops = 0;      // best of zmm and ymm with max_threads() threads
  double one_thread = 0;  // the same with 1 thread
  std::string vectors;    // "zmm", "ymm" or "none"
  std::size_t threads = 0;
};
const Peak& measure_peak(const BenchOptions& options);

// One row of the closing table. Rates (GFLOP/s): limit = the peak, ratio = value / limit
// (fraction of the peak). Times: limit = FLOPs / peak, ratio = value / limit (× limit).
struct Row {
  std::string w, label, unit;
  double value = 0;  // median
  double limit = 0;  // 0: none
  std::string path;  // which kernels ran (instruction set, library)
};
// Adds a row; with a limit also prints it as a RESULT line ("limit <unit>") for compare.
void add_row(const Row& row);
void print_table();
// Seconds the machine needs for `flop` at its peak (the limit of a time row).
double compute_limit_s(double flop, const BenchOptions& options);

void run_fork_join(const BenchOptions& options);  // W0's second part
void run_w1(const BenchOptions& options);
void run_w2(const BenchOptions& options);
void run_w3(const BenchOptions& options);
void run_w4(const BenchOptions& options);
void run_w5(const BenchOptions& options);
void run_w6(const BenchOptions& options);

// A fresh model and optimiser for one training repetition.
struct TrainSetup {
  std::shared_ptr<Module> model;
  std::unique_ptr<Optimizer> optimizer;
};
// Times options.reps one-epoch trainings (W4, W5) and reports epoch time and
// test accuracy.
// flop: the training FLOPs of one epoch (0: no limit row); path: the kernels it runs.
void run_epochs(const std::string& w, const std::string& label, ImageLayout layout,
                const BenchOptions& options, const std::function<TrainSetup(unsigned)>& make,
                double flop = 0, const std::string& path = "");

}  // namespace xgrad::bench
