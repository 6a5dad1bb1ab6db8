// The float gemm micro-kernels (ops/kernels/sgemm_kernels.h): AVX-512F, AVX2+FMA and
// portable C++, each compiled for its instruction set with a target attribute whatever
// the flags of the build (Note [Choosing kernels at run time], ops/kernels/cpu_isa.h).
// Only code in this file's anonymous namespace runs under those attributes, so no
// AVX-512 copy of a shared inline function can be picked by the linker for other callers.
#include "ops/kernels/sgemm_kernels.h"

#include <immintrin.h>

// GCC 12's intrinsics headers pass _mm256_undefined_*() as dummy operands, which its
// (maybe-)uninitialized warnings report once inlined (GCC bug 105593).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace xgrad::kernels::sgemm {

namespace {

#define XGRAD_AVX512 __attribute__((target("avx512f,avx2,fma"), noinline))
#define XGRAD_AVX512_INLINE __attribute__((target("avx512f,avx2,fma"), always_inline)) inline
#define XGRAD_AVX2 __attribute__((target("avx2,fma"), noinline))
#define XGRAD_AVX2_INLINE __attribute__((target("avx2,fma"), always_inline)) inline
#define XGRAD_UNROLL _Pragma("GCC unroll 32")

std::size_t clamp_row(std::size_t i, std::size_t m) { return i < m ? i : m - 1; }

// Stores an MR × NR tile held row by row in `t` to C, for i < m, j < n.
template <int MR, int NR>
void store_tile(const float* t, float* c, std::size_t ldc, std::size_t m, std::size_t n,
                float alpha, float beta) {
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      float& out = c[i * ldc + j];
      out = beta != 0.0f ? alpha * t[i * NR + j] + beta * out : alpha * t[i * NR + j];
    }
  }
}

// ---------------------------------------------------------------- AVX-512F (16 floats)

// One step p of an MR × (16·NV) tile: B's row times A's MR values.
template <int MR, int NV>
XGRAD_AVX512_INLINE void fma_step_512(__m512 (&acc)[MR][NV], const float* b, const float* const* av,
                                      std::size_t at) {
  __m512 bv[NV];
  XGRAD_UNROLL for (int v = 0; v < NV; ++v) bv[v] = _mm512_load_ps(b + 16 * v);
  XGRAD_UNROLL for (int i = 0; i < MR; ++i) {
    const __m512 x = _mm512_set1_ps(av[i][at]);
    XGRAD_UNROLL for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_fmadd_ps(x, bv[v], acc[i][v]);
  }
}

// c = alpha · r + beta · c on the lanes in `mask` (beta == 0: c is not read).
XGRAD_AVX512_INLINE void store_512(float* c, __m512 r, __mmask16 mask, float alpha, float beta) {
  r = _mm512_mul_ps(r, _mm512_set1_ps(alpha));
  if (beta != 0.0f) r = _mm512_fmadd_ps(_mm512_set1_ps(beta), _mm512_maskz_loadu_ps(mask, c), r);
  _mm512_mask_storeu_ps(c, mask, r);
}

__mmask16 lanes_16(std::size_t count) {
  return count >= 16 ? __mmask16(0xffff) : __mmask16((1u << count) - 1);
}

// MR rows × NV vectors: MR · NV of the 32 zmm registers accumulate, NV hold B's row.
template <int MR, int NV>
XGRAD_AVX512 void kernel_avx512(std::size_t kc, const float* a, std::size_t rs, std::size_t ks,
                                const float* b, float* c, std::size_t ldc, std::size_t m,
                                std::size_t n, float alpha, float beta) {
  __m512 acc[MR][NV];
  XGRAD_UNROLL for (int i = 0; i < MR; ++i) {
    XGRAD_UNROLL for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_setzero_ps();
  }
  if (rs == 1) {  // A's MR values of a step are contiguous (packed, or Aᵀ in place)
    // Rows past m repeat the last one: Aᵀ in place has only m values per step,
    // and reading past them would run off the end of A at the last step.
    std::size_t row[MR];
    XGRAD_UNROLL for (int i = 0; i < MR; ++i) row[i] = clamp_row(std::size_t(i), m);
    for (std::size_t p = 0; p < kc; ++p, a += ks, b += 16 * NV) {
      const float* av[MR];
      XGRAD_UNROLL for (int i = 0; i < MR; ++i) av[i] = a + row[i];
      fma_step_512<MR, NV>(acc, b, av, 0);
    }
  } else {  // A in place, one row per i (rows past m repeat the last one)
    const float* av[MR];
    XGRAD_UNROLL for (int i = 0; i < MR; ++i) av[i] = a + clamp_row(i, m) * rs;
    for (std::size_t p = 0; p < kc; ++p, b += 16 * NV) fma_step_512<MR, NV>(acc, b, av, p);
  }
  XGRAD_UNROLL for (int i = 0; i < MR; ++i) {
    if (std::size_t(i) >= m) break;
    XGRAD_UNROLL for (int v = 0; v < NV; ++v) {
      const std::size_t j = std::size_t(16 * v);
      store_512(c + i * ldc + j, acc[i][v], lanes_16(n > j ? n - j : 0), alpha, beta);
    }
  }
}

// Lane j of the result = the sum of the 16 lanes of v[j], in a fixed order.
XGRAD_AVX512_INLINE __m256 reduce8_512(const __m512 (&v)[8]) {
  __m256 w[8];
  XGRAD_UNROLL for (int j = 0; j < 8; ++j) {
    w[j] = _mm256_add_ps(_mm512_castps512_ps256(v[j]),
                         _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v[j]), 1)));
  }
  const __m256 h01 = _mm256_hadd_ps(w[0], w[1]), h23 = _mm256_hadd_ps(w[2], w[3]);
  const __m256 h45 = _mm256_hadd_ps(w[4], w[5]), h67 = _mm256_hadd_ps(w[6], w[7]);
  const __m256 q0 = _mm256_hadd_ps(h01, h23), q1 = _mm256_hadd_ps(h45, h67);
  return _mm256_add_ps(_mm256_permute2f128_ps(q0, q1, 0x20), _mm256_permute2f128_ps(q0, q1, 0x31));
}

// One chunk of 16 steps of a dot tile: A's rows (masked: the tail) times B's packed chunk.
template <int DR, int DC>
XGRAD_AVX512_INLINE void dot_step_512(__m512 (&acc)[DR][DC], const float* const* ar, std::size_t p,
                                      __mmask16 mask, const float* b) {
  __m512 av[DR];
  XGRAD_UNROLL for (int i = 0; i < DR; ++i) av[i] = _mm512_maskz_loadu_ps(mask, ar[i] + p);
  XGRAD_UNROLL for (int j = 0; j < DC; ++j) {
    __m512 bv = _mm512_load_ps(b + 16 * j);
    // Keeps bv in a register: GCC would fold the load into each of the DR multiply-adds,
    // and 3 loads per 2 FMAs... (DR + DR·DC loads per step) make the loop load-bound.
    asm("" : "+v"(bv));
    XGRAD_UNROLL for (int i = 0; i < DR; ++i) acc[i][j] = _mm512_fmadd_ps(av[i], bv, acc[i][j]);
  }
}

// DR rows of A × 8 rows of B, vectors of 16 along p (a masked one for A's tail); B packed
// in chunks of 16 steps, the 8 rows' chunks one after the other (one pointer for B, so
// the loop's pointers stay in registers).
template <int DR>
XGRAD_AVX512 void dot_avx512(std::size_t kc, const float* a, std::size_t lda, const float* b,
                             float* c, std::size_t ldc, std::size_t m, std::size_t n, float alpha,
                             float beta) {
  constexpr int DC = 8;
  const float* ar[DR];
  XGRAD_UNROLL for (int i = 0; i < DR; ++i) ar[i] = a + clamp_row(i, m) * lda;
  __m512 acc[DR][DC];
  XGRAD_UNROLL for (int i = 0; i < DR; ++i) {
    XGRAD_UNROLL for (int j = 0; j < DC; ++j) acc[i][j] = _mm512_setzero_ps();
  }
  std::size_t p = 0;
  for (; p + 16 <= kc; p += 16, b += 16 * DC) dot_step_512(acc, ar, p, __mmask16(0xffff), b);
  if (p < kc) dot_step_512(acc, ar, p, lanes_16(kc - p), b);
  if (m >= DR && n >= DC) {  // a whole tile: vector stores
    const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
    XGRAD_UNROLL for (int i = 0; i < DR; ++i) {
      float* ci = c + i * ldc;
      __m256 r = _mm256_mul_ps(reduce8_512(acc[i]), va);
      if (beta != 0.0f) r = _mm256_fmadd_ps(vb, _mm256_loadu_ps(ci), r);
      _mm256_storeu_ps(ci, r);
    }
    return;
  }
  alignas(32) float t[DR * DC];
  XGRAD_UNROLL for (int i = 0; i < DR; ++i) _mm256_store_ps(t + i * DC, reduce8_512(acc[i]));
  store_tile<DR, DC>(t, c, ldc, m < DR ? m : DR, n < DC ? n : DC, alpha, beta);
}

// ---------------------------------------------------------------- AVX2+FMA (8 floats)

template <int MR, int NV>
XGRAD_AVX2_INLINE void fma_step_256(__m256 (&acc)[MR][NV], const float* b, const float* const* av,
                                    std::size_t at) {
  __m256 bv[NV];
  XGRAD_UNROLL for (int v = 0; v < NV; ++v) bv[v] = _mm256_load_ps(b + 8 * v);
  XGRAD_UNROLL for (int i = 0; i < MR; ++i) {
    const __m256 x = _mm256_broadcast_ss(av[i] + at);
    XGRAD_UNROLL for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_fmadd_ps(x, bv[v], acc[i][v]);
  }
}

// MR rows × NV vectors of 8 floats: 12 of the 16 ymm registers accumulate (6 × 2).
template <int MR, int NV>
XGRAD_AVX2 void kernel_avx2(std::size_t kc, const float* a, std::size_t rs, std::size_t ks,
                            const float* b, float* c, std::size_t ldc, std::size_t m, std::size_t n,
                            float alpha, float beta) {
  constexpr int NR = 8 * NV;
  __m256 acc[MR][NV];
  XGRAD_UNROLL for (int i = 0; i < MR; ++i) {
    XGRAD_UNROLL for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_setzero_ps();
  }
  if (rs == 1) {  // rows past m repeat the last one, as in kernel_avx512
    std::size_t row[MR];
    XGRAD_UNROLL for (int i = 0; i < MR; ++i) row[i] = clamp_row(std::size_t(i), m);
    for (std::size_t p = 0; p < kc; ++p, a += ks, b += NR) {
      const float* av[MR];
      XGRAD_UNROLL for (int i = 0; i < MR; ++i) av[i] = a + row[i];
      fma_step_256<MR, NV>(acc, b, av, 0);
    }
  } else {
    const float* av[MR];
    XGRAD_UNROLL for (int i = 0; i < MR; ++i) av[i] = a + clamp_row(i, m) * rs;
    for (std::size_t p = 0; p < kc; ++p, b += NR) fma_step_256<MR, NV>(acc, b, av, p);
  }
  alignas(32) float t[MR * NR];
  XGRAD_UNROLL for (int i = 0; i < MR; ++i) {
    XGRAD_UNROLL for (int v = 0; v < NV; ++v) _mm256_store_ps(t + i * NR + 8 * v, acc[i][v]);
  }
  store_tile<MR, NR>(t, c, ldc, m, n, alpha, beta);
}

// DR rows of A × 4 rows of B, vectors of 8 along p (A's tail by a masked load); B packed
// in chunks of 8 steps, the 4 rows' chunks one after the other.
template <int DR>
XGRAD_AVX2 void dot_avx2(std::size_t kc, const float* a, std::size_t lda, const float* b, float* c,
                         std::size_t ldc, std::size_t m, std::size_t n, float alpha, float beta) {
  constexpr int DC = 4;
  const float* ar[DR];
  XGRAD_UNROLL for (int i = 0; i < DR; ++i) ar[i] = a + clamp_row(i, m) * lda;
  __m256 acc[DR][DC];
  XGRAD_UNROLL for (int i = 0; i < DR; ++i) {
    XGRAD_UNROLL for (int j = 0; j < DC; ++j) acc[i][j] = _mm256_setzero_ps();
  }
  for (std::size_t p = 0; p < kc; p += 8, b += 8 * DC) {
    const int left = int(kc - p < 8 ? kc - p : 8);
    const __m256i mask =
        _mm256_cmpgt_epi32(_mm256_set1_epi32(left), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    __m256 av[DR];
    XGRAD_UNROLL for (int i = 0; i < DR; ++i) {
      av[i] = left == 8 ? _mm256_loadu_ps(ar[i] + p) : _mm256_maskload_ps(ar[i] + p, mask);
    }
    XGRAD_UNROLL for (int j = 0; j < DC; ++j) {
      const __m256 bv = _mm256_load_ps(b + 8 * j);
      XGRAD_UNROLL for (int i = 0; i < DR; ++i) acc[i][j] = _mm256_fmadd_ps(av[i], bv, acc[i][j]);
    }
  }
  float t[DR * DC];
  XGRAD_UNROLL for (int i = 0; i < DR; ++i) {
    __m128 w[DC];
    XGRAD_UNROLL for (int j = 0; j < DC; ++j) {
      w[j] = _mm_add_ps(_mm256_castps256_ps128(acc[i][j]), _mm256_extractf128_ps(acc[i][j], 1));
    }
    _mm_storeu_ps(t + i * DC, _mm_hadd_ps(_mm_hadd_ps(w[0], w[1]), _mm_hadd_ps(w[2], w[3])));
  }
  store_tile<DR, DC>(t, c, ldc, m < DR ? m : DR, n < DC ? n : DC, alpha, beta);
}

// ---------------------------------------------------------------- portable C++

// Plain loops for CPUs without AVX2+FMA; the compiler may vectorize them for whatever
// the build targets.
template <int MR, int NR>
__attribute__((noinline)) void kernel_scalar(std::size_t kc, const float* a, std::size_t rs,
                                             std::size_t ks, const float* b, float* c,
                                             std::size_t ldc, std::size_t m, std::size_t n,
                                             float alpha, float beta) {
  float t[MR * NR] = {};
  for (std::size_t p = 0; p < kc; ++p, b += NR) {
    for (int i = 0; i < MR; ++i) {
      const float x = a[clamp_row(std::size_t(i), m) * rs + p * ks];
      for (int j = 0; j < NR; ++j) t[i * NR + j] += x * b[j];
    }
  }
  store_tile<MR, NR>(t, c, ldc, m, n, alpha, beta);
}

template <int DR, int DC>
__attribute__((noinline)) void dot_scalar(std::size_t kc, const float* a, std::size_t lda,
                                          const float* b, float* c, std::size_t ldc, std::size_t m,
                                          std::size_t n, float alpha, float beta) {
  float t[DR * DC] = {};  // b packed in chunks of one step: b[p·DC + j]
  for (std::size_t p = 0; p < kc; ++p) {
    for (std::size_t i = 0; i < m; ++i) {
      for (int j = 0; j < DC; ++j) t[i * DC + j] += a[i * lda + p] * b[p * DC + j];
    }
  }
  store_tile<DR, DC>(t, c, ldc, m, n, alpha, beta);
}

}  // namespace

namespace {

// Block sizes (floats): kc · nr of packed B streams through the cache per outer-product
// tile against mr · kc of A (kc = 512: 1.04-1.07x faster than 256 at n = 1024 and 2048
// on one thread, alternated in one process on 2026-12-01, avx512 and avx2 alike: fewer
// passes over C, though a 512 x 32 panel of B no longer fits L1); dc rows of B, dkc long,
// stay in L1 for the dot tiles (avx512: 8 · 1024 · 4 bytes = 32 KB of the 48 KB), so the
// MLP's k = 784 is one block.
Path make_path(Isa isa, std::size_t mr, std::size_t nr, MicroKernel kernel, std::size_t mr_rows,
               MicroKernel kernel_rows, std::size_t dr, std::size_t dc, DotKernel dot,
               const char* name) {
  Path p;
  p.isa = isa;
  p.mr = mr;
  p.nr = nr;
  p.mr_rows = mr_rows;
  p.kernel_rows = kernel_rows;
  p.kc = 512;
  p.mc = 192;
  p.kernel = kernel;
  p.dr = dr;
  p.dc = dc;
  p.dkc = 1024;
  p.dl = isa == Isa::kAvx512 ? 16 : isa == Isa::kAvx2 ? 8 : 1;
  p.dot = dot;
  p.name = name;
  return p;
}

}  // namespace

const Path& path_for(Isa isa) {
  static const Path avx512 = make_path(Isa::kAvx512, 12, 32, kernel_avx512<12, 2>, 8,
                                       kernel_avx512<8, 2>, 3, 8, dot_avx512<3>, "avx512 12x32");
  static const Path avx2 = make_path(Isa::kAvx2, 6, 16, kernel_avx2<6, 2>, 6, kernel_avx2<6, 2>, 3,
                                     4, dot_avx2<3>, "avx2 6x16");
  static const Path scalar = make_path(Isa::kScalar, 4, 8, kernel_scalar<4, 8>, 4,
                                       kernel_scalar<4, 8>, 2, 4, dot_scalar<2, 4>, "scalar 4x8");
  switch (isa) {
    case Isa::kAvx512:
      return avx512;
    case Isa::kAvx2:
      return avx2;
    default:
      return scalar;
  }
}

}  // namespace xgrad::kernels::sgemm
