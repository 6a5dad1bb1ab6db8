// xgrad-bench: runs the benchmark workloads W0-W6 on xgrad and prints RESULT lines (the
// peers' format), then a table of each figure beside its limit on this machine (W0's FMA
// peak, always measured first) and the kernel path that ran.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <set>

#include "framework/parallel.h"
#include "tools/bench/workloads.h"

int main(int argc, char** argv) {
  CLI::App app{
      "xgrad benchmarks: W0 FMA peak and fork-join, W1 sgemm, W2 MLP step, W3 conv, W4/W5/W6 "
      "epochs; RESULT lines and a table against the machine's peak"};
  std::size_t threads = 2;
  std::vector<std::string> only;
  xgrad::bench::BenchOptions options;
  app.add_option("--threads", threads, "Threads (TBB)")->check(CLI::PositiveNumber);
  app.add_option("--only", only, "Run only these workloads (W0..W6; repeatable)");
  app.add_option("--reps", options.reps, "Training runs per W4/W5/W6 case")
      ->check(CLI::PositiveNumber);
  app.add_flag("--smoke", options.smoke, "One tiny pass of each case (for CI)");
  bool peak_only = false;
  app.add_flag("--peak-only", peak_only,
               "Only measure the FMA peak (W0, --threads threads) and print 'PEAK <GFLOP/s>': "
               "tools/bench/compare brackets each run with it to see the host's speed drift");
  CLI11_PARSE(app, argc, argv);
  const std::set<std::string> wanted(only.begin(), only.end());
  for (const std::string& w : wanted) {
    if (w.size() != 2 || w[0] != 'W' || w[1] < '0' || w[1] > '6') {
      std::cerr << "error: unknown workload '" << w << "' (known: W0 to W6)\n";
      return 2;
    }
  }
  xgrad::ThreadLimit limit(threads);
  auto run = [&](const std::string& w) { return wanted.empty() || wanted.count(w) > 0; };
  if (peak_only) {
    std::printf("PEAK %.1f\n", xgrad::bench::measure_peak(options).gflops);
    return 0;
  }
  xgrad::bench::measure_peak(options);  // the denominator of every limit
  if (run("W0")) xgrad::bench::run_fork_join(options);
  if (run("W1")) xgrad::bench::run_w1(options);
  if (run("W2")) xgrad::bench::run_w2(options);
  if (run("W3")) xgrad::bench::run_w3(options);
  if (run("W4")) xgrad::bench::run_w4(options);
  if (run("W5")) xgrad::bench::run_w5(options);
  if (run("W6")) xgrad::bench::run_w6(options);
  xgrad::bench::print_table();
  return 0;
}
