// The benchmark workloads of xgrad-bench (definitions: the peers' README,
// ../shared/bench/peers/README.md, "Workloads"). Each prints RESULT lines
// (bench_common.h) for the cases it runs.
#pragma once

#include <string>

namespace xgrad::bench {

struct BenchOptions {
  int reps = 2;           // training runs per W4/W5 case
  bool smoke = false;     // one tiny pass of each case (CI)
  bool baseline = true;   // also time the plain OpenBLAS baseline in W1
};

void run_w1(const BenchOptions& options);

}  // namespace xgrad::bench
