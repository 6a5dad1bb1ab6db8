// OpenBLAS peer of xgrad-bench for W1: C = A·B with cblas_sgemm, square
// float32, row-major, n in {256, 512, 1024, 2048}, C preallocated; A, B ~
// U(-1,1) with seeds 1 and 2 (the same data as xgrad-bench and libtorch).
// A process of its own, with OpenBLAS's own pthread pool of BENCH_THREADS
// (default 2) threads, as in the workspace's peer baselines.
//   usage: openblas_bench
#include <cblas.h>  // OpenBLAS's own: also declares openblas_*()

#include "common.h"

using namespace bench;

static void fill_uniform(float* p, size_t n, unsigned seed) {
  std::mt19937 g(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (size_t i = 0; i < n; ++i) p[i] = u(g);
}

int main() {
  openblas_set_num_threads(bench_threads());
  std::printf("INFO|openblas|config=%s|core=%s|threads=%d\n", openblas_get_config(),
              openblas_get_corename(), openblas_get_num_threads());
  for (int n : {256, 512, 1024, 2048}) {
    size_t nn = (size_t)n * n;
    std::vector<float> A(nn), B(nn), C(nn, 0.0f);
    fill_uniform(A.data(), nn, 1);
    fill_uniform(B.data(), nn, 2);
    double flop = 2.0 * n * n * (double)n;
    Stats s = time_it(
        [&] {
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, A.data(), n,
                      B.data(), n, 0.0f, C.data(), n);
        },
        9, 0.05, 0.3, 2);
    report_rate("W1", "sgemm n=" + std::to_string(n), "openblas", "GFLOP/s", flop / 1e9, s,
                "cblas_sgemm, C preallocated");
  }
  return 0;
}
