// W1: C = A·B, square float32, n in {256, 512, 1024, 2048}. xgrad's gemm
// kernel (OpenBLAS single-threaded inside TBB tiles) beside plain OpenBLAS
// with its own 2-thread pool, in the same process.
#include <cblas.h>

#include <random>
#include <vector>

#include "framework/parallel.h"
#include "ops/kernels/gemm.h"
#include "tools/bench/bench_common.h"
#include "tools/bench/workloads.h"

namespace xgrad::bench {

void run_w1(const BenchOptions& options) {
  const std::vector<std::size_t> sizes = options.smoke
                                             ? std::vector<std::size_t>{128}
                                             : std::vector<std::size_t>{256, 512, 1024, 2048};
  for (std::size_t n : sizes) {
    std::vector<float> a(n * n), b(n * n), c(n * n);
    std::mt19937 ga(1), gb(2);
    std::uniform_real_distribution<float> u(-1, 1);
    for (float& v : a) v = u(ga);
    for (float& v : b) v = u(gb);
    const double flop = 2.0 * double(n) * double(n) * double(n);
    const std::string label = "sgemm n=" + std::to_string(n);
    const int samples = options.smoke ? 1 : 9;
    const double min_s = options.smoke ? 0.0 : 0.05;
    ::bench::Stats mine = ::bench::time_it(
        [&] {
          kernels::gemm<float>(false, false, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f,
                               c.data(), n);
        },
        samples, min_s, options.smoke ? 0.0 : 0.2, 1);
    ::bench::report_rate("W1", label, "xgrad", "GFLOP/s", flop * 1e-9, mine);
    if (!options.baseline) continue;
    // Plain OpenBLAS with its own pool of max_threads() threads; restored
    // to 1 afterwards (Note [One thread pool] in ops/gemm.cpp).
    openblas_set_num_threads(int(max_threads()));
    ::bench::Stats blas = ::bench::time_it(
        [&] {
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(n), int(n), int(n), 1.0f,
                      a.data(), int(n), b.data(), int(n), 0.0f, c.data(), int(n));
        },
        samples, min_s, options.smoke ? 0.0 : 0.2, 1);
    openblas_set_num_threads(1);
    ::bench::report_rate("W1", label, "openblas", "GFLOP/s", flop * 1e-9, blas);
  }
}

}  // namespace xgrad::bench
