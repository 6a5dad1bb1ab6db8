#include "ops/kernels/gemm.h"

#include <cblas.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <string>

#include "framework/parallel.h"
#include "ops/kernels/sgemm_kernels.h"

namespace xgrad::kernels {

namespace {

// Note [One thread pool]: OpenBLAS (pthreads build) would start its own
// workers, which busy-wait against TBB's on the same cores; xgrad calls it
// with one thread and parallelises around it.
void single_threaded_blas() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}

std::size_t round_up(std::size_t x, std::size_t to) { return (x + to - 1) / to * to; }

// [0, total) in `parts` blocks as even as possible, each at most `max_block`: the size of
// the first (largest) block. A function of the sizes only (Note [Deterministic tiling]).
std::size_t even_block(std::size_t total, std::size_t max_block) {
  const std::size_t parts = (total + max_block - 1) / max_block;
  return (total + parts - 1) / parts;
}

// A 64-byte aligned buffer per thread for packed panels, grown on demand.
class Scratch {
 public:
  ~Scratch() { std::free(data_); }
  float* get(std::size_t n) {
    if (n > size_) {
      std::free(data_);
      data_ = static_cast<float*>(std::aligned_alloc(64, round_up(n * sizeof(float), 64)));
      if (data_ == nullptr) throw std::bad_alloc();
      size_ = n;
    }
    return data_;
  }

 private:
  float* data_ = nullptr;
  std::size_t size_ = 0;
};

// op(B)[0:kc, 0:n] into panels of nr columns, k-major (pb[(j/nr)·kc·nr + p·nr + j%nr]),
// zero-padded to whole panels. op(B)(p, j) = b[p·ldb + j], or b[j·ldb + p] if transposed.
void pack_b(bool tb, const float* b, std::size_t ldb, std::size_t kc, std::size_t n, std::size_t nr,
            float* out) {
  for (std::size_t j0 = 0; j0 < n; j0 += nr) {
    const std::size_t w = std::min(nr, n - j0);
    float* dst = out + j0 * kc;
    if (!tb) {
      for (std::size_t p = 0; p < kc; ++p) {
        const float* src = b + p * ldb + j0;
        float* d = dst + p * nr;
        for (std::size_t j = 0; j < w; ++j) d[j] = src[j];
        for (std::size_t j = w; j < nr; ++j) d[j] = 0.0f;
      }
    } else {
      for (std::size_t j = 0; j < nr; ++j) {
        if (j < w) {
          const float* src = b + (j0 + j) * ldb;
          for (std::size_t p = 0; p < kc; ++p) dst[p * nr + j] = src[p];
        } else {
          for (std::size_t p = 0; p < kc; ++p) dst[p * nr + j] = 0.0f;
        }
      }
    }
  }
}

// alpha · op(A)[0:m, 0:kc] into panels of mr rows, k-major (pa[(i/mr)·kc·mr + p·mr + i%mr]),
// zero-padded. op(A)(i, p) = a[i·lda + p], or a[p·lda + i] if transposed.
void pack_a(bool ta, const float* a, std::size_t lda, std::size_t m, std::size_t kc, std::size_t mr,
            float alpha, float* out) {
  for (std::size_t i0 = 0; i0 < m; i0 += mr) {
    const std::size_t h = std::min(mr, m - i0);
    float* dst = out + i0 * kc;
    if (ta) {
      for (std::size_t p = 0; p < kc; ++p) {
        const float* src = a + p * lda + i0;
        float* d = dst + p * mr;
        for (std::size_t i = 0; i < h; ++i) d[i] = alpha * src[i];
        for (std::size_t i = h; i < mr; ++i) d[i] = 0.0f;
      }
    } else {
      for (std::size_t i = 0; i < mr; ++i) {
        if (i < h) {
          const float* src = a + (i0 + i) * lda;
          for (std::size_t p = 0; p < kc; ++p) dst[p * mr + i] = alpha * src[p];
        } else {
          for (std::size_t p = 0; p < kc; ++p) dst[p * mr + i] = 0.0f;
        }
      }
    }
  }
}

// One tile of C on the calling thread: kc blocks of the inner dimension in order (each
// element's sum runs p = 0, 1, ..., k-1 whatever the tile), B's kc × n block packed once
// per block, A packed mc rows at a time; the micro-kernel walks nr-column panels of B
// (resident in L1) against the mr-row panels of A.
void sgemm_tile(const sgemm::Path& path, bool ta, bool tb, std::size_t m, std::size_t n,
                std::size_t k, float alpha, const float* a, std::size_t lda, const float* b,
                std::size_t ldb, float beta, float* c, std::size_t ldc) {
  static thread_local Scratch pack_a_buf, pack_b_buf;
  const std::size_t mr = path.mr, nr = path.nr;
  const std::size_t kc_max = even_block(k, path.kc), mc_max = even_block(m, path.mc);
  float* pb = pack_b_buf.get(kc_max * round_up(n, nr));
  float* pa = pack_a_buf.get(kc_max * round_up(mc_max, mr));
  for (std::size_t p0 = 0; p0 < k; p0 += kc_max) {
    const std::size_t kc = std::min(kc_max, k - p0);
    const float beta_p = p0 == 0 ? beta : 1.0f;
    pack_b(tb, tb ? b + p0 : b + p0 * ldb, ldb, kc, n, nr, pb);
    for (std::size_t i0 = 0; i0 < m; i0 += mc_max) {
      const std::size_t mc = std::min(mc_max, m - i0);
      pack_a(ta, ta ? a + p0 * lda + i0 : a + i0 * lda + p0, lda, mc, kc, mr, alpha, pa);
      for (std::size_t j = 0; j < n; j += nr) {
        for (std::size_t i = 0; i < mc; i += mr) {
          path.kernel(kc, pa + i * kc, pb + j * kc, c + (i0 + i) * ldc + j, ldc,
                      std::min(mr, mc - i), std::min(nr, n - j), beta_p);
        }
      }
    }
  }
}

// C = beta · C (the k = 0 product).
template <class T>
void scale_c(std::size_t m, std::size_t n, T beta, T* c, std::size_t ldc) {
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j)
      c[i * ldc + j] = beta == T(0) ? T(0) : beta * c[i * ldc + j];
  }
}

void serial(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha,
            const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
            std::size_t ldc, Isa isa) {
  if (m == 0 || n == 0) return;
  if (k == 0) return scale_c(m, n, beta, c, ldc);
  sgemm_tile(sgemm::path_for(isa), ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void serial(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, double alpha,
            const double* a, std::size_t lda, const double* b, std::size_t ldb, double beta,
            double* c, std::size_t ldc, Isa) {
  if (m == 0 || n == 0) return;
  if (k == 0) return scale_c(m, n, beta, c, ldc);
  single_threaded_blas();
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

template <class T>
void tiled(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
           std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc, Isa isa) {
  if (m * n * k <= kSerialWork)
    return serial(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, isa);
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
      serial(ta, tb, mi, nj, k, alpha, at, lda, bt, ldb, beta, c + i0 * ldc + j0, ldc, isa);
    }
  });
}

}  // namespace

template <class T>
void gemm_serial(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
                 std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc) {
  serial(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, active_isa());
}

template <class T>
void gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
          std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc) {
  tiled(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, active_isa());
}

void sgemm_on(Isa isa, bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha,
              const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta,
              float* c, std::size_t ldc) {
  tiled(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, isa);
}

const char* sgemm_path() {
  static const std::string name = std::string("xgrad ") + sgemm::path_for(active_isa()).name;
  return name.c_str();
}

const char* dgemm_path() {
  static const std::string name =
      std::string("OpenBLAS") + OPENBLAS_VERSION + "(core " + openblas_get_corename() + ")";
  return name.c_str();
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
