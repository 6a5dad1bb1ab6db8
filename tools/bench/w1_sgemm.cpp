// W1: float32 C = op(A)·op(B) through xgrad's gemm: square n in {256, 512, 1024, 2048}
// (A·B), and the MLP 784-256-10's products at batch 64 (linear's forward x·Wᵀ, its
// weight gradient dYᵀ·x and its input gradient dY·W). Beside them, in the same process:
// xgrad's AVX2 path at n = 1024 on a CPU with AVX-512 (what an AVX2-only CPU would get
// from it), and plain OpenBLAS with its own thread pool, named with the core type it
// detected (its kernels depend on that guess, Note [Own sgemm] in ops/kernels/gemm.cpp).
#include <cblas.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "framework/parallel.h"
#include "ops/kernels/gemm.h"
#include "tools/bench/bench_common.h"
#include "tools/bench/workloads.h"

namespace xgrad::bench {

namespace {

struct Shape {
  bool ta, tb;
  std::size_t m, n, k;
  std::string label;
};

::bench::Stats time_gemm(const BenchOptions& o, const std::function<void()>& f) {
  return o.smoke ? ::bench::time_it(f, 1, 0.0, 0.0, 1) : ::bench::time_it(f, 9, 0.05, 0.2, 1);
}

}  // namespace

void run_w1(const BenchOptions& options) {
  const Peak& peak = measure_peak(options);
  std::vector<Shape> shapes;
  for (std::size_t n : options.smoke ? std::vector<std::size_t>{128}
                                     : std::vector<std::size_t>{256, 512, 1024, 2048}) {
    shapes.push_back({false, false, n, n, n, "sgemm n=" + std::to_string(n)});
  }
  shapes.push_back({false, true, 64, 256, 784, "sgemm 64x256x784 NT (linear fwd)"});
  shapes.push_back({true, false, 256, 784, 64, "sgemm 256x784x64 TN (linear dW)"});
  shapes.push_back({false, false, 64, 784, 256, "sgemm 64x784x256 NN (linear dx)"});
  const std::string blas_name =
      std::string("OpenBLAS own pool (core ") + openblas_get_corename() + ")";
  for (const Shape& s : shapes) {
    const std::size_t lda = s.ta ? s.m : s.k, ldb = s.tb ? s.k : s.n;
    std::vector<float> a(s.m * s.k), b(s.k * s.n), c(s.m * s.n);
    std::mt19937 ga(1), gb(2);
    std::uniform_real_distribution<float> u(-1, 1);
    for (float& v : a) v = u(ga);
    for (float& v : b) v = u(gb);
    const double gflop = 2e-9 * double(s.m) * double(s.n) * double(s.k);
    const bool square = s.m == s.n && s.n == s.k;
    auto path_run = [&](kernels::Isa isa, const std::string& label, const std::string& path) {
      const ::bench::Stats st = time_gemm(options, [&] {
        kernels::sgemm_on(isa, s.ta, s.tb, s.m, s.n, s.k, 1.0f, a.data(), lda, b.data(), ldb, 0.0f,
                          c.data(), s.n);
      });
      ::bench::report_rate("W1", label, "xgrad", "GFLOP/s", gflop, st, path);
      add_row({"W1", label, "GFLOP/s", gflop / st.med, peak.gflops, path});
    };
    path_run(kernels::active_isa(), s.label, kernels::sgemm_path());
    if (s.label == "sgemm n=1024" && kernels::active_isa() == kernels::Isa::kAvx512) {
      path_run(kernels::Isa::kAvx2, s.label + " avx2 path", "xgrad avx2 (forced)");
    }
    if (!options.baseline || (square && s.n != 1024 && !options.smoke)) continue;
    // Plain OpenBLAS with its own pool of max_threads() threads; restored to 1 afterwards
    // (Note [One thread pool] in ops/kernels/gemm.cpp).
    openblas_set_num_threads(int(max_threads()));
    const ::bench::Stats blas = time_gemm(options, [&] {
      cblas_sgemm(CblasRowMajor, s.ta ? CblasTrans : CblasNoTrans, s.tb ? CblasTrans : CblasNoTrans,
                  int(s.m), int(s.n), int(s.k), 1.0f, a.data(), int(lda), b.data(), int(ldb), 0.0f,
                  c.data(), int(s.n));
    });
    openblas_set_num_threads(1);
    ::bench::report_rate("W1", s.label, "openblas", "GFLOP/s", gflop, blas, blas_name);
    add_row({"W1", s.label + " (OpenBLAS)", "GFLOP/s", gflop / blas.med, peak.gflops, blas_name});
  }
}

}  // namespace xgrad::bench
