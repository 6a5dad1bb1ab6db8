// gemm: the matrix-multiply kernel under matmul, linear layers and conv.
//
//   C = alpha * op(A) * op(B) + beta * C      row-major, op(X) = X or Xᵀ
//   op(A): m × k, op(B): k × n, C: m × n; lda/ldb/ldc are row strides.
//
// float: xgrad's own blocked gemm (Goto's scheme: packed panels, a register-tiled
// micro-kernel per instruction set, ops/kernels/sgemm_kernels.h), chosen at run time from
// the CPU's features (Note [Choosing kernels at run time], ops/kernels/cpu_isa.h); why not
// a library: Note [Own sgemm] in gemm.cpp. double: OpenBLAS's cblas_dgemm, single-threaded
// (float64 serves gradient checks and the lecture's tests, where speed matters little).
//
// Note [Deterministic tiling]. C is cut into tiles whose size depends only on (m, n, k),
// never on the thread count, and each tile is computed by one task over the full k, in
// inner-dimension blocks whose size also depends only on k: every element is computed by
// the same instruction sequence with 1 thread or many, so results are bit-identical.
// OpenBLAS's own thread pool is switched off (one pool on the machine: TBB's).
// Thread safety: reentrant; may be called from inside TBB tasks (packing buffers are
// per thread).
#pragma once

#include <cstddef>

#include "ops/kernels/cpu_isa.h"

namespace xgrad::kernels {

template <class T>
void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, T alpha,
          const T* a, std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc);

// The same product on the calling thread, no tiles (for callers that already run inside
// their own parallel loop, e.g. per-image conv). Same bits as gemm.
template <class T>
void gemm_serial(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, T alpha,
                 const T* a, std::size_t lda, const T* b, std::size_t ldb, T beta, T* c,
                 std::size_t ldc);

// gemm<float> on the kernels of a given instruction set (tests and benchmarks of every
// path on one machine). REQUIRES: cpu_supports(isa).
void sgemm_on(Isa isa, bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k,
              float alpha, const float* a, std::size_t lda, const float* b, std::size_t ldb,
              float beta, float* c, std::size_t ldc);

// What gemm<float> runs, e.g. "xgrad avx512 12x32"; and gemm<double>, e.g.
// "OpenBLAS 0.3.21 (core Prescott)".
const char* sgemm_path();
const char* dgemm_path();

}  // namespace xgrad::kernels
