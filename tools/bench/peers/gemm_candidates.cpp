// The sgemm candidates xgrad's gemm was chosen among (Note [Own sgemm] in
// ops/kernels/gemm.cpp), on W1's shapes: square n = 1024 (A·B) and the MLP's products at
// batch 64 (64×256×784 x·Wᵀ, 256×784×64 dYᵀ·x, 64×784×256 dY·W), row-major float32,
// C preallocated, A, B ~ U(-1, 1). One library per build (BLIS exports cblas_* too):
//   -DCAND_OPENBLAS  cblas_sgemm (OpenBLAS 0.3.21; its kernels follow the core type it
//                    detects, or OPENBLAS_CORETYPE)
//   -DCAND_DNNL      dnnl_sgemm (oneDNN 2.6, its own JIT and CPU detection; OpenMP)
//   -DCAND_BLIS      bli_sgemm (BLIS 0.9, OpenMP build; its own CPU detection)
// Each shape with 1 thread and with BENCH_THREADS (default 2) of the library's own pool;
// prints RESULT lines and the kernel family the library picked.
//   usage: gemm_candidates_{openblas,dnnl,blis}
#if defined(CAND_OPENBLAS)
#include <cblas.h>
#elif defined(CAND_DNNL)
#include <omp.h>
#include <oneapi/dnnl/dnnl.h>
#elif defined(CAND_BLIS)
#include <blis.h>
#endif

#include "common.h"

using namespace bench;

namespace {

struct Shape {
  bool ta, tb;
  int m, n, k;
  const char* label;
};

void set_threads(int t) {
#if defined(CAND_OPENBLAS)
  openblas_set_num_threads(t);
#elif defined(CAND_DNNL)
  omp_set_num_threads(t);
#elif defined(CAND_BLIS)
  bli_thread_set_num_threads(t);
#endif
}

void sgemm(const Shape& s, const float* a, int lda, const float* b, int ldb, float* c) {
#if defined(CAND_OPENBLAS)
  cblas_sgemm(CblasRowMajor, s.ta ? CblasTrans : CblasNoTrans, s.tb ? CblasTrans : CblasNoTrans,
              s.m, s.n, s.k, 1.0f, a, lda, b, ldb, 0.0f, c, s.n);
#elif defined(CAND_DNNL)
  dnnl_sgemm(s.ta ? 'T' : 'N', s.tb ? 'T' : 'N', s.m, s.n, s.k, 1.0f, a, lda, b, ldb, 0.0f, c, s.n);
#elif defined(CAND_BLIS)
  float one = 1.0f, zero = 0.0f;
  // Row-major: row stride ld, column stride 1; a transposed operand swaps them.
  bli_sgemm(s.ta ? BLIS_TRANSPOSE : BLIS_NO_TRANSPOSE, s.tb ? BLIS_TRANSPOSE : BLIS_NO_TRANSPOSE,
            s.m, s.n, s.k, &one, const_cast<float*>(a), lda, 1, const_cast<float*>(b), ldb, 1,
            &zero, c, s.n, 1);
#endif
}

std::string library() {
#if defined(CAND_OPENBLAS)
  return std::string("openblas core=") + openblas_get_corename();
#elif defined(CAND_DNNL)
  const int isa = int(dnnl_get_effective_cpu_isa());
  return "dnnl isa=" + std::to_string(isa);  // dnnl_cpu_isa_t bits (dnnl_types.h)
#elif defined(CAND_BLIS)
  return std::string("blis arch=") + bli_arch_string(bli_arch_query_id());
#endif
}

const char* name() {
#if defined(CAND_OPENBLAS)
  return "openblas";
#elif defined(CAND_DNNL)
  return "dnnl";
#else
  return "blis";
#endif
}

}  // namespace

int main() {
  const std::string lib = library();
  std::printf("INFO|gemm_candidates|%s\n", lib.c_str());
  const Shape shapes[] = {{false, false, 1024, 1024, 1024, "sgemm n=1024"},
                          {false, true, 64, 256, 784, "sgemm 64x256x784 NT (linear fwd)"},
                          {true, false, 256, 784, 64, "sgemm 256x784x64 TN (linear dW)"},
                          {false, false, 64, 784, 256, "sgemm 64x784x256 NN (linear dx)"}};
  std::vector<int> threads{1};
  if (bench_threads() > 1) threads.push_back(bench_threads());
  for (const Shape& s : shapes) {
    const int lda = s.ta ? s.m : s.k, ldb = s.tb ? s.k : s.n;
    std::vector<float> a(size_t(s.m) * s.k), b(size_t(s.k) * s.n), c(size_t(s.m) * s.n);
    std::mt19937 ga(1), gb(2);
    std::uniform_real_distribution<float> u(-1, 1);
    for (float& v : a) v = u(ga);
    for (float& v : b) v = u(gb);
    const double gflop = 2e-9 * double(s.m) * s.n * s.k;
    for (int t : threads) {
      set_threads(t);
      Stats st =
          time_it([&] { sgemm(s, a.data(), lda, b.data(), ldb, c.data()); }, 9, 0.05, 0.3, 2);
      report_rate("W1", s.label, std::string(name()) + " " + std::to_string(t) + "T", "GFLOP/s",
                  gflop, st, lib);
    }
  }
  return 0;
}
