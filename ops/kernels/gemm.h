// gemm: the matrix-multiply kernel under matmul, linear layers and conv.
//
//   C = alpha * op(A) * op(B) + beta * C      row-major, op(X) = X or Xᵀ
//   op(A): m × k, op(B): k × n, C: m × n; lda/ldb/ldc are row strides.
//
// Note [Deterministic tiling]. Choice (see README, "matmul"): OpenBLAS's cblas_sgemm/dgemm, called
// single-threaded inside TBB tasks. C is cut into tiles whose size depends
// only on (m, n, k), never on the thread count, and each tile is one BLAS
// call over the full k: every element is computed by the same instruction
// sequence with 1 thread or many, so results are bit-identical. OpenBLAS's
// own thread pool is switched off (one pool on the machine: TBB's).
// Thread safety: reentrant; may be called from inside TBB tasks.
#pragma once

#include <cstddef>

namespace xgrad::kernels {

template <class T>
void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, T alpha,
          const T* a, std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc);

// One BLAS call on the calling thread, no tiling (for callers that already
// run inside their own parallel loop, e.g. per-image conv).
template <class T>
void gemm_serial(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, T alpha,
                 const T* a, std::size_t lda, const T* b, std::size_t ldb, T beta, T* c,
                 std::size_t ldc);

}  // namespace xgrad::kernels
