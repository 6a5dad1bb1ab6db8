#include "ops/kernels/gemm.h"

#include <cblas.h>

#include <algorithm>
#include <mutex>

#include "framework/parallel.h"

namespace xgrad::kernels {

namespace {

// Note [One thread pool]: OpenBLAS (pthreads build) would start its own
// workers, which busy-wait against TBB's on the same cores; xgrad calls it
// with one thread and parallelises around it.
void single_threaded_blas() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}

void blas(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha,
          const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
          std::size_t ldc) {
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, int(m),
              int(n), int(k), alpha, a, int(lda), b, int(ldb), beta, c, int(ldc));
}

void blas(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, double alpha,
          const double* a, std::size_t lda, const double* b, std::size_t ldb, double beta,
          double* c, std::size_t ldc) {
  cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, int(m),
              int(n), int(k), alpha, a, int(lda), b, int(ldb), beta, c, int(ldc));
}

// Below this many multiply-adds one call on one thread is as fast as tasks:
// LeNet's 64x84x120 layer (645K) took 20 us on 1 thread and 21 us in 8 tiles
// on 2, and each split costs a fork-join (xgrad-bench W0) and moves C's halves
// between caches. 64x120x256 (2M) gains 1.3x from tiles.
constexpr std::size_t kSerialWork = std::size_t(1) << 20;
// Tiles shrink until there are at least this many, so 2 cores share evenly.
constexpr std::size_t kMinTiles = 8;
constexpr std::size_t kMaxTile = 512;
constexpr std::size_t kMinTile = 64;

}  // namespace

template <class T>
void gemm_serial(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
                 std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc) {
  if (m == 0 || n == 0) return;
  single_threaded_blas();
  if (k == 0) {
    for (std::size_t i = 0; i < m; ++i) {
      for (std::size_t j = 0; j < n; ++j)
        c[i * ldc + j] = beta == T(0) ? T(0) : beta * c[i * ldc + j];
    }
    return;
  }
  blas(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

template <class T>
void gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
          std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc) {
  if (m * n * k <= kSerialWork) {
    gemm_serial(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  // Tile sizes from the shape alone (Note [Deterministic tiling]).
  std::size_t tm = std::min(m, kMaxTile), tn = std::min(n, kMaxTile);
  auto tiles = [&] { return ((m + tm - 1) / tm) * ((n + tn - 1) / tn); };
  while (tiles() < kMinTiles && (tm > kMinTile || tn > kMinTile)) {
    if (tm >= tn && tm > kMinTile) {
      tm = (tm + 1) / 2;
    } else if (tn > kMinTile) {
      tn = (tn + 1) / 2;
    } else {
      tm = (tm + 1) / 2;
    }
  }
  const std::size_t row_tiles = (m + tm - 1) / tm, col_tiles = (n + tn - 1) / tn;
  parallel_for(0, row_tiles * col_tiles, 1, [&](std::size_t t0, std::size_t t1) {
    for (std::size_t t = t0; t < t1; ++t) {
      const std::size_t i0 = (t / col_tiles) * tm, j0 = (t % col_tiles) * tn;
      const std::size_t mi = std::min(tm, m - i0), nj = std::min(tn, n - j0);
      const T* at = ta ? a + i0 : a + i0 * lda;  // op(A) rows i0.. : A columns if transposed
      const T* bt = tb ? b + j0 * ldb : b + j0;
      gemm_serial(ta, tb, mi, nj, k, alpha, at, lda, bt, ldb, beta, c + i0 * ldc + j0, ldc);
    }
  });
}

template void gemm<float>(bool, bool, std::size_t, std::size_t, std::size_t, float, const float*,
                          std::size_t, const float*, std::size_t, float, float*, std::size_t);
template void gemm<double>(bool, bool, std::size_t, std::size_t, std::size_t, double, const double*,
                           std::size_t, const double*, std::size_t, double, double*, std::size_t);
template void gemm_serial<float>(bool, bool, std::size_t, std::size_t, std::size_t, float,
                                 const float*, std::size_t, const float*, std::size_t, float,
                                 float*, std::size_t);
template void gemm_serial<double>(bool, bool, std::size_t, std::size_t, std::size_t, double,
                                  const double*, std::size_t, const double*, std::size_t, double,
                                  double*, std::size_t);

}  // namespace xgrad::kernels
