// W3: conv2d, batch 64, stride 1, no padding, with bias (the peers'
// definition): (a) x 64×1×28×28, W 6×1×5×5; (b) x 64×6×12×12, W 16×6×5×5.
// fwd: forward under NoGradGuard; fwd+bwd: forward with x, W, b requiring
// grad, then backward(gy) for all three gradients (reset before each call).
#include <cmath>

#include "framework/generator.h"
#include "framework/grad_mode.h"
#include "ops/conv2d.h"
#include "ops/kernels/conv2d_kernels.h"
#include "tools/bench/bench_common.h"
#include "tools/bench/workloads.h"

namespace xgrad::bench {

void run_w3(const BenchOptions& options) {
  struct Case {
    const char* name;
    Shape x, w;
  };
  for (const Case& c : {Case{"conv a 1x28x28->6 k5 b64", {64, 1, 28, 28}, {6, 1, 5, 5}},
                        Case{"conv b 6x12x12->16 k5 b64", {64, 6, 12, 12}, {16, 6, 5, 5}}}) {
    Generator gen(3);
    const std::size_t ho = c.x[2] - c.w[2] + 1, wo = c.x[3] - c.w[3] + 1;
    const double flop = 2.0 * double(c.x[0] * c.w[0] * ho * wo * c.w[1] * c.w[2] * c.w[3]);
    const double bound = 1.0 / std::sqrt(double(c.w[1] * c.w[2] * c.w[3]));
    Tensor x(gen.uniform(c.x, -1, 1)), w(gen.uniform(c.w, -bound, bound));
    Tensor b(gen.uniform({c.w[0]}, -0.1, 0.1));
    const Array gy = gen.uniform({c.x[0], c.w[0], ho, wo}, -1, 1);
    const int samples = options.smoke ? 1 : 9;
    const double min_s = options.smoke ? 0 : 0.05, warm = options.smoke ? 0 : 0.3;
    ::bench::Stats f = ::bench::time_it(
        [&] {
          NoGradGuard no_grad;
          Tensor y = conv2d(x, w, b);
        },
        samples, min_s, warm, 3);
    ::bench::report_us("W3", std::string(c.name) + " fwd", "xgrad", f);
    ::bench::report_rate("W3", std::string(c.name) + " fwd", "xgrad", "GFLOP/s", flop / 1e9, f);
    add_row({"W3", std::string(c.name) + " fwd", "us", f.med * 1e6,
             compute_limit_s(flop, options) * 1e6, kernels::conv2d_path()});
    x.requires_grad_();
    w.requires_grad_();
    b.requires_grad_();
    ::bench::Stats fb = ::bench::time_it(
        [&] {
          x.zero_grad(), w.zero_grad(), b.zero_grad();
          conv2d(x, w, b).backward(gy);
        },
        samples, min_s, warm, 3);
    ::bench::report_us("W3", std::string(c.name) + " fwd+bwd", "xgrad", fb,
                       "grads: input, weight, bias");
    ::bench::report_rate("W3", std::string(c.name) + " fwd+bwd", "xgrad", "GFLOP/s", 3 * flop / 1e9,
                         fb, "3x fwd flop");
    add_row({"W3", std::string(c.name) + " fwd+bwd", "us", fb.med * 1e6,
             compute_limit_s(3 * flop, options) * 1e6, kernels::conv2d_path()});
  }
}

}  // namespace xgrad::bench
