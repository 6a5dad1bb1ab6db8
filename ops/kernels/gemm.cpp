#include "ops/kernels/gemm.h"

#include <cblas.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#include "framework/parallel.h"
#include "ops/kernels/sgemm_kernels.h"

namespace xgrad::kernels {

// Note [Own sgemm]. Why float products run on xgrad's own kernels rather than a library's:
// - OpenBLAS 0.3.21 (Debian 12) picks its kernels from the CPU model number, and a VM may
//   mask it: on the Sapphire Rapids guests of the project it reports "Prescott" (SSE3) and
//   runs sgemm at about a fifth of the machine's FMA peak; only OPENBLAS_CORETYPE, read
//   when the library loads (before main), corrects it. xgrad cannot set it for its users.
// - oneDNN's dnnl_sgemm (libdnnl-dev 2.6) detects the CPU by CPUID and its JIT kernels are
//   fast on one thread, but Debian builds it on OpenMP: a second thread pool beside TBB's
//   (Note [One thread pool]), and inside TBB tasks its per-call set-up is paid per tile.
// - BLIS 0.9 (libblis-dev) also detects by CPUID, but is slower than both on these shapes
//   and is OpenMP-threaded too (tools/bench/README.md, "sgemm candidates", has the figures).
// The kernels here need no dependency: a register-tiled micro-kernel per instruction set
// (sgemm_kernels.h), chosen from CPUID at run time (Note [Choosing kernels at run time]),
// Goto's blocking, and the MLP's skinny products taken on their own terms (A read in
// place, dot-product tiles for A·Bᵀ, no transposing copies). double (gradient checks, the
// lecture) stays on OpenBLAS's dgemm, where its speed does not matter.

namespace {

// Note [One thread pool]: OpenBLAS (pthreads build) would start its own
// workers, which busy-wait against TBB's on the same cores; xgrad calls it
// with one thread and parallelises around it.
void single_threaded_blas() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}

std::size_t round_up(std::size_t x, std::size_t to) { return (x + to - 1) / to * to; }

// Float: the widest block of columns one call packs (kc × kMaxStrip floats of B, 2 MB).
constexpr std::size_t kMaxStrip = 2048;

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
// B is read along its rows (one stream), not panel by panel: a panel's rows lie ldb apart,
// each in another page, and reading them one after the other waited on memory.
void pack_b(bool tb, const float* b, std::size_t ldb, std::size_t kc, std::size_t n, std::size_t nr,
            float* out) {
  const std::size_t panels = (n + nr - 1) / nr, tail = n - (panels - 1) * nr;
  if (!tb) {
    for (std::size_t p = 0; p < kc; ++p) {
      const float* src = b + p * ldb;
      for (std::size_t q = 0; q + 1 < panels; ++q) {
        // a loop, not std::copy_n: memmove's call per 128 bytes cost more than the copy
        const float* from = src + q * nr;
        float* to = out + (q * kc + p) * nr;
        for (std::size_t j = 0; j < nr; ++j) to[j] = from[j];
      }
      float* last = out + ((panels - 1) * kc + p) * nr;
      std::copy_n(src + (panels - 1) * nr, tail, last);
      std::fill(last + tail, last + nr, 0.0f);
    }
    return;
  }
  for (std::size_t j = 0; j < panels * nr; ++j) {
    float* dst = out + (j / nr) * kc * nr + j % nr;
    if (j < n) {
      const float* src = b + j * ldb;
      for (std::size_t p = 0; p < kc; ++p) dst[p * nr] = src[p];
    } else {
      for (std::size_t p = 0; p < kc; ++p) dst[p * nr] = 0.0f;
    }
  }
}

// op(A)[0:m, 0:kc] into one panel of mr rows, k-major (pa[p·mr + i]), zero-padded: for
// A's last rows when they do not fill a tile and A is transposed (in place, the kernel
// would read past them).
void pack_a_panel(bool ta, const float* a, std::size_t lda, std::size_t m, std::size_t kc,
                  std::size_t mr, float* out) {
  for (std::size_t p = 0; p < kc; ++p) {
    for (std::size_t i = 0; i < mr; ++i) {
      out[p * mr + i] = i >= m ? 0.0f : ta ? a[p * lda + i] : a[i * lda + p];
    }
  }
}

// Rows [0, n) of B (each kc long, ldb apart) for a dot tile of dc rows: chunks of dl
// steps, the rows' chunks one after the other (sgemm_kernels.h, DotKernel); rows past n
// repeat row n - 1, the last chunk is zero-padded.
void pack_dot_b(const float* b, std::size_t ldb, std::size_t kc, std::size_t n, std::size_t dc,
                std::size_t dl, float* out) {
  for (std::size_t p = 0; p < kc; p += dl) {
    const std::size_t w = std::min(dl, kc - p);
    for (std::size_t j = 0; j < dc; ++j, out += dl) {
      const float* src = b + std::min(j, n - 1) * ldb + p;
      // whole chunks by copies of a constant size, which the compiler inlines: a memmove
      // call per chunk was 4% of the MLP step (64x256x784 NT: 1.06-1.18x faster)
      // (a chunk shorter than dl, the tail of kc, is zero-padded below)
      if (w == dl && dl == 16) {
        std::memcpy(out, src, 16 * sizeof(float));
      } else if (w == dl && dl == 8) {
        std::memcpy(out, src, 8 * sizeof(float));
      } else {
        std::copy_n(src, w, out);
        std::fill(out + w, out + dl, 0.0f);
      }
    }
  }
}

// C = alpha · A · Bᵀ, both contiguous along k: dot-product tiles. Blocks of dc rows of B
// (packed, in L1, dkc long) against every row of A (in place, from L2).
void sgemm_nt(const sgemm::Path& path, std::size_t m, std::size_t n, std::size_t k, float alpha,
              const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta,
              float* c, std::size_t ldc) {
  static thread_local Scratch pack;
  const std::size_t kc_max = even_block(k, path.dkc);
  float* pb = pack.get(round_up(kc_max, path.dl) * path.dc);
  for (std::size_t p0 = 0; p0 < k; p0 += kc_max) {
    const std::size_t kc = std::min(kc_max, k - p0);
    const float beta_p = p0 == 0 ? beta : 1.0f;
    for (std::size_t j = 0; j < n; j += path.dc) {
      pack_dot_b(b + j * ldb + p0, ldb, kc, n - j, path.dc, path.dl, pb);
      for (std::size_t i = 0; i < m; i += path.dr) {
        path.dot(kc, a + i * lda + p0, lda, pb, c + i * ldc + j, ldc, std::min(path.dr, m - i),
                 std::min(path.dc, n - j), alpha, beta_p);
      }
    }
  }
}

// One tile of C on the calling thread. A·Bᵀ: sgemm_nt. Otherwise outer-product tiles
// (Goto's scheme): kc blocks of the inner dimension in order (each element's sum runs
// p = 0, 1, ..., k-1 whatever the tile), B's kc × n block packed once per block, A read
// in place (rows of mr broadcast values; a transposed A's last partial panel packed), mc
// rows at a time against every nr-column panel of B (resident in L1).
void sgemm_tile(const sgemm::Path& path, bool ta, bool tb, std::size_t m, std::size_t n,
                std::size_t k, float alpha, const float* a, std::size_t lda, const float* b,
                std::size_t ldb, float beta, float* c, std::size_t ldc) {
  if (!ta && tb) return sgemm_nt(path, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  if (n > kMaxStrip) {  // column blocks bound the packing buffer (same sums per element)
    for (std::size_t j = 0; j < n; j += kMaxStrip) {
      sgemm_tile(path, ta, tb, m, std::min(kMaxStrip, n - j), k, alpha, a, lda,
                 tb ? b + j * ldb : b + j, ldb, beta, c + j, ldc);
    }
    return;
  }
  static thread_local Scratch pack_a_buf, pack_b_buf;
  // A in place row by row needs a pointer per row: the kernel with fewer rows keeps them
  // in registers (12 spilled, and reloading them took FMA-port slots).
  const std::size_t mr = ta ? path.mr : path.mr_rows, nr = path.nr;
  const sgemm::MicroKernel kernel = ta ? path.kernel : path.kernel_rows;
  const std::size_t kc_max = even_block(k, path.kc), mc_max = even_block(m, path.mc);
  float* pb = pack_b_buf.get(kc_max * round_up(n, nr));
  float* pa = pack_a_buf.get(kc_max * mr);
  for (std::size_t p0 = 0; p0 < k; p0 += kc_max) {
    const std::size_t kc = std::min(kc_max, k - p0);
    const float beta_p = p0 == 0 ? beta : 1.0f;
    pack_b(tb, tb ? b + p0 : b + p0 * ldb, ldb, kc, n, nr, pb);
    for (std::size_t i0 = 0; i0 < m; i0 += mc_max) {
      const std::size_t mc = std::min(mc_max, m - i0);
      const std::size_t full = mc - (ta ? mc % mr : 0);  // rows read in place
      if (full < mc) pack_a_panel(ta, a + p0 * lda + i0 + full, lda, mc - full, kc, mr, pa);
      for (std::size_t i = 0; i < mc; i += mr) {
        const std::size_t row = i0 + i;
        const float* ai = i >= full ? pa : ta ? a + p0 * lda + row : a + row * lda + p0;
        const std::size_t rs = i >= full || ta ? 1 : lda, ks = i >= full ? mr : ta ? lda : 1;
        for (std::size_t j = 0; j < n; j += nr) {
          kernel(kc, ai, rs, ks, pb + j * kc, c + row * ldc + j, ldc, std::min(mr, mc - i),
                 std::min(nr, n - j), alpha, beta_p);
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

// Products this small (the lecture's 3-3-1 network: 4×3×3) cost less as plain loops than
// the blocked path's set-up (thread-local buffers, packing, masked tiles).
constexpr std::size_t kTinyWork = 512;

void tiny(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha,
          const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
          std::size_t ldc) {
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      float s = 0.0f;
      for (std::size_t p = 0; p < k; ++p) {
        s += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
      }
      float& out = c[i * ldc + j];
      out = beta == 0.0f ? alpha * s : alpha * s + beta * out;
    }
  }
}

void serial(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha,
            const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
            std::size_t ldc, Isa isa) {
  if (m == 0 || n == 0) return;
  if (k == 0) return scale_c(m, n, beta, c, ldc);
  if (m * n * k <= kTinyWork) return tiny(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
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

void tiled(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, double alpha,
           const double* a, std::size_t lda, const double* b, std::size_t ldb, double beta,
           double* c, std::size_t ldc, Isa isa) {
  if (m * n * k <= kSerialWork) {
    return serial(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, isa);
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
      const double* at = ta ? a + i0 : a + i0 * lda;  // op(A) rows i0..: A columns if transposed
      const double* bt = tb ? b + j0 * ldb : b + j0;
      serial(ta, tb, mi, nj, k, alpha, at, lda, bt, ldb, beta, c + i0 * ldc + j0, ldc, isa);
    }
  });
}

// Start of part `i` of `parts` when `units` units of `unit` elements are shared as evenly
// as possible (parts differ by at most one unit), clipped to `total`.
std::size_t part_start(std::size_t i, std::size_t parts, std::size_t units, std::size_t unit,
                       std::size_t total) {
  return std::min(total, (i * units / parts) * unit);
}

// Float tiles: column strips first, since a strip packs its columns of B once and reads A
// in place (nothing is packed twice); row blocks only when there are too few strips.
// Strips are whole panels of the kernel's tile, shared evenly, so 2 threads get equal
// work from the static partition of kMinTiles tiles. A function of the shape only.
// Except Aᵀ·B with a short inner dimension (a weight gradient, k = the batch): two row
// blocks, each of column strips, so each thread's share of C is one contiguous block of
// rows, as the optimiser's elementwise update then reads it, and B (k × n, small) is
// packed once per row block. 256x784x64 (the MLP's dW) 1.06-1.14x faster, its training
// step 1.03-1.06x (in-process alternation, 2 threads); k = 512 or 1024 1-2% slower.
constexpr std::size_t kShortInner = 128;
void tiled(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha,
           const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
           std::size_t ldc, Isa isa) {
  if (m * n * k <= kSerialWork) {
    return serial(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, isa);
  }
  const sgemm::Path& path = sgemm::path_for(isa);
  const bool nt = !ta && tb;
  const std::size_t unit_n = nt ? path.dc : path.nr;
  const std::size_t unit_m = nt ? path.dr : ta ? path.mr : path.mr_rows;
  const std::size_t col_units = (n + unit_n - 1) / unit_n, row_units = (m + unit_m - 1) / unit_m;
  const bool row_halves = ta && !tb && k <= kShortInner && row_units >= 2;
  const std::size_t strips = row_halves ? kMinTiles / 2 : kMinTiles;
  const std::size_t cols = std::max(std::min(strips, col_units), (n + kMaxStrip - 1) / kMaxStrip);
  const std::size_t rows = row_halves ? 2 : std::min(row_units, (kMinTiles + cols - 1) / cols);
  parallel_for(0, rows * cols, 1, [&](std::size_t t0, std::size_t t1) {
    for (std::size_t t = t0; t < t1; ++t) {
      const std::size_t r = t / cols, q = t % cols;
      const std::size_t i0 = part_start(r, rows, row_units, unit_m, m);
      const std::size_t i1 = part_start(r + 1, rows, row_units, unit_m, m);
      const std::size_t j0 = part_start(q, cols, col_units, unit_n, n);
      const std::size_t j1 = part_start(q + 1, cols, col_units, unit_n, n);
      if (i1 == i0 || j1 == j0) continue;
      const float* at = ta ? a + i0 : a + i0 * lda;  // op(A) rows i0..: A columns if transposed
      const float* bt = tb ? b + j0 * ldb : b + j0;
      serial(ta, tb, i1 - i0, j1 - j0, k, alpha, at, lda, bt, ldb, beta, c + i0 * ldc + j0, ldc,
             isa);
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
