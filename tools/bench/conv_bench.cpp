// xgrad-conv-bench: W3 of the peer benchmarks (conv2d, batch 64, stride 1, no padding,
// bias; ../shared/bench/peers/README.md) with 1 and 2 threads.
//   (a) x 64×1×28×28, W 6×1×5×5      (b) x 64×6×12×12, W 16×6×5×5
// fwd: conv2d under NoGradGuard; fwd+bwd: conv2d with x, W, b requiring grad, then
// backward(gy) for all three gradients (reset before each call). Prints a table of
// median / min µs per call and the ratio of the 2-thread to the 1-thread median, plus
// RESULT lines in the peers' format.
// Each call allocates its output and gradients (about 2 MB for (a)). glibc gives freed
// memory at the top of the heap back to the OS (M_TRIM_THRESHOLD), so by default every call
// page-faults its arrays in again, which costs several µs per 4 KiB page on the benchmark VM.
// `--malloc keep` (or `both`, the default: rows without, then with) raises glibc's mmap and
// trim thresholds first, so freed memory is reused: the kernels' own time.
#include <malloc.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/grad_mode.h"
#include "framework/parallel.h"
#include "ops/conv2d.h"
#include "tools/bench/bench_common.h"

namespace {

struct Workload {
  const char* name;
  xgrad::Shape x, w;
};

struct Row {
  std::string label;
  bench::Stats s[2];  // 1 and 2 threads
  double flop;
};

Row run(const Workload& wl, bool backward, int samples) {
  xgrad::Generator gen(1);
  const double bound = 1.0 / std::sqrt(double(wl.w[1] * wl.w[2] * wl.w[3]));
  xgrad::Tensor x(gen.uniform(wl.x, -1, 1)), w(gen.uniform(wl.w, -bound, bound));
  xgrad::Tensor b(gen.uniform({wl.w[0]}, -0.1, 0.1));
  const std::size_t oh = wl.x[2] - wl.w[2] + 1, ow = wl.x[3] - wl.w[3] + 1;
  const xgrad::Array gy = gen.uniform({wl.x[0], wl.w[0], oh, ow}, -1, 1);
  const double fwd_flop = 2.0 * wl.x[0] * wl.w[0] * oh * ow * wl.w[1] * wl.w[2] * wl.w[3];
  Row row{std::string(wl.name) + (backward ? " fwd+bwd" : " fwd"),
          {},
          backward ? 3 * fwd_flop : fwd_flop};
  if (backward) {
    x.requires_grad_();
    w.requires_grad_();
    b.requires_grad_();
  }
  for (std::size_t t : {1, 2}) {
    xgrad::ThreadLimit limit(t);
    row.s[t - 1] = bench::time_it(
        [&] {
          if (!backward) {
            xgrad::NoGradGuard no_grad;
            xgrad::conv2d(x, w, b);
            return;
          }
          x.zero_grad();
          w.zero_grad();
          b.zero_grad();
          xgrad::conv2d(x, w, b).backward(gy);
        },
        samples);
  }
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"xgrad-conv-bench: W3 conv2d forward and forward+backward, 1 and 2 threads"};
  int samples = 15;
  std::string only, malloc_mode = "both";
  app.add_option("--samples", samples, "timed samples per figure (each >= 20 ms)")
      ->check(CLI::PositiveNumber);
  app.add_option("--case", only, "a or b (default: both)")->check(CLI::IsMember({"a", "b"}));
  app.add_option("--malloc", malloc_mode, "glibc defaults, keep freed memory, or both")
      ->check(CLI::IsMember({"default", "keep", "both"}));
  CLI11_PARSE(app, argc, argv);

  const std::vector<Workload> all = {{"conv a 1x28x28->6 k5 b64", {64, 1, 28, 28}, {6, 1, 5, 5}},
                                     {"conv b 6x12x12->16 k5 b64", {64, 6, 12, 12}, {16, 6, 5, 5}}};
  std::vector<Row> rows;
  for (bool keep : {false, true}) {
    if (malloc_mode == (keep ? "default" : "keep")) continue;
    if (keep) {  // keep up to 1 GiB of freed memory in the heap instead of unmapping it
      mallopt(M_MMAP_THRESHOLD, 64 << 20);
      mallopt(M_TRIM_THRESHOLD, 1 << 30);
    }
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (!only.empty() && only[0] != char('a' + i)) continue;
      for (bool backward : {false, true}) {
        rows.push_back(run(all[i], backward, samples));
        if (keep) rows.back().label += " [malloc keep]";
      }
    }
  }
  std::printf("%-48s %21s %21s %8s %12s\n", "W3 case", "1 thread us (min)", "2 threads us (min)",
              "2T/1T", "2T GFLOP/s");
  for (const Row& r : rows) {
    std::printf("%-48s %11.1f (%7.1f) %11.1f (%7.1f) %8.2f %12.1f\n", r.label.c_str(),
                r.s[0].med * 1e6, r.s[0].min * 1e6, r.s[1].med * 1e6, r.s[1].min * 1e6,
                r.s[1].med / r.s[0].med, r.flop / r.s[1].med * 1e-9);
  }
  for (const Row& r : rows) {
    for (int t = 0; t < 2; ++t) {
      bench::report_us("W3", r.label, "xgrad " + std::to_string(t + 1) + "T", r.s[t]);
    }
  }
  return 0;
}
