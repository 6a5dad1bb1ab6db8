// The float gemm micro-kernels (ops/kernels/sgemm_kernels.h): AVX-512F, AVX2+FMA and
// portable C++, each compiled for its instruction set with a target attribute whatever
// the flags of the build (Note [Choosing kernels at run time], ops/kernels/cpu_isa.h).
// Only code in this file's anonymous namespace runs under those attributes, so no
// AVX-512 copy of a shared inline function can be picked by the linker for other callers.
#include "ops/kernels/sgemm_kernels.h"

#include <immintrin.h>

namespace xgrad::kernels::sgemm {

namespace {

#define XGRAD_AVX512 __attribute__((target("avx512f"), noinline))
#define XGRAD_AVX2 __attribute__((target("avx2,fma"), noinline))
#define XGRAD_UNROLL _Pragma("GCC unroll 32")

// MR rows × NV vectors of 16 floats. Every accumulator lives in a zmm register (MR · NV
// of the 32), b takes NV more and A's values are broadcast straight from memory.
template <int MR, int NV>
XGRAD_AVX512 void kernel_avx512(std::size_t kc, const float* __restrict pa,
                                const float* __restrict pb, float* c, std::size_t ldc,
                                std::size_t m, std::size_t n, float beta) {
  constexpr int NR = 16 * NV;
  __m512 acc[MR][NV];
  XGRAD_UNROLL for (int i = 0; i < MR; ++i) {
    XGRAD_UNROLL for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_setzero_ps();
  }
  for (std::size_t p = 0; p < kc; ++p) {
    __m512 b[NV];
    XGRAD_UNROLL for (int v = 0; v < NV; ++v) b[v] = _mm512_load_ps(pb + 16 * v);
    XGRAD_UNROLL for (int i = 0; i < MR; ++i) {
      const __m512 a = _mm512_set1_ps(pa[i]);
      XGRAD_UNROLL for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_fmadd_ps(a, b[v], acc[i][v]);
    }
    pa += MR;
    pb += NR;
  }
  const __m512 vb = _mm512_set1_ps(beta);
  __mmask16 mask[NV];
  XGRAD_UNROLL for (int v = 0; v < NV; ++v) {
    const std::size_t cols = n > std::size_t(16 * v) ? n - 16 * v : 0;
    mask[v] = cols >= 16 ? __mmask16(0xffff) : __mmask16((1u << cols) - 1);
  }
  XGRAD_UNROLL for (int i = 0; i < MR; ++i) {
    if (std::size_t(i) >= m) break;
    float* ci = c + i * ldc;
    XGRAD_UNROLL for (int v = 0; v < NV; ++v) {
      __m512 r = acc[i][v];
      if (beta != 0.0f) r = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(mask[v], ci + 16 * v), r);
      _mm512_mask_storeu_ps(ci + 16 * v, mask[v], r);
    }
  }
}

// Stores an mr × nr tile held in `t` (row stride nr) to C, for i < m, j < n.
template <int MR, int NR>
inline void store_tile(const float* t, float* c, std::size_t ldc, std::size_t m, std::size_t n,
                       float beta) {
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      float& out = c[i * ldc + j];
      out = beta != 0.0f ? t[i * NR + j] + beta * out : t[i * NR + j];
    }
  }
}

// MR rows × NV vectors of 8 floats: 12 of the 16 ymm registers accumulate (6 × 2).
template <int MR, int NV>
XGRAD_AVX2 void kernel_avx2(std::size_t kc, const float* __restrict pa, const float* __restrict pb,
                            float* c, std::size_t ldc, std::size_t m, std::size_t n, float beta) {
  constexpr int NR = 8 * NV;
  __m256 acc[MR][NV];
  XGRAD_UNROLL for (int i = 0; i < MR; ++i) {
    XGRAD_UNROLL for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_setzero_ps();
  }
  for (std::size_t p = 0; p < kc; ++p) {
    __m256 b[NV];
    XGRAD_UNROLL for (int v = 0; v < NV; ++v) b[v] = _mm256_load_ps(pb + 8 * v);
    XGRAD_UNROLL for (int i = 0; i < MR; ++i) {
      const __m256 a = _mm256_broadcast_ss(pa + i);
      XGRAD_UNROLL for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_fmadd_ps(a, b[v], acc[i][v]);
    }
    pa += MR;
    pb += NR;
  }
  if (m == MR && n == NR) {
    const __m256 vb = _mm256_set1_ps(beta);
    XGRAD_UNROLL for (int i = 0; i < MR; ++i) {
      XGRAD_UNROLL for (int v = 0; v < NV; ++v) {
        float* cp = c + i * ldc + 8 * v;
        __m256 r = acc[i][v];
        if (beta != 0.0f) r = _mm256_fmadd_ps(vb, _mm256_loadu_ps(cp), r);
        _mm256_storeu_ps(cp, r);
      }
    }
    return;
  }
  alignas(32) float t[MR * NR];
  XGRAD_UNROLL for (int i = 0; i < MR; ++i) {
    XGRAD_UNROLL for (int v = 0; v < NV; ++v) _mm256_store_ps(t + i * NR + 8 * v, acc[i][v]);
  }
  store_tile<MR, NR>(t, c, ldc, m, n, beta);
}

// Portable C++ for CPUs without AVX2+FMA: plain loops the compiler may vectorize with
// whatever the build targets.
template <int MR, int NR>
__attribute__((noinline)) void kernel_scalar(std::size_t kc, const float* __restrict pa,
                                             const float* __restrict pb, float* c, std::size_t ldc,
                                             std::size_t m, std::size_t n, float beta) {
  float t[MR * NR] = {};
  for (std::size_t p = 0; p < kc; ++p) {
    for (int i = 0; i < MR; ++i) {
      for (int j = 0; j < NR; ++j) t[i * NR + j] += pa[i] * pb[j];
    }
    pa += MR;
    pb += NR;
  }
  store_tile<MR, NR>(t, c, ldc, m, n, beta);
}

}  // namespace

const Path& path_for(Isa isa) {
  // kc · nr · 4 bytes of B stay in L1 while the packed rows of A stream past them.
  static const Path avx512{Isa::kAvx512, 12, 32, 256, 96, kernel_avx512<12, 2>, "avx512 12x32"};
  static const Path avx2{Isa::kAvx2, 6, 16, 256, 96, kernel_avx2<6, 2>, "avx2 6x16"};
  static const Path scalar{Isa::kScalar, 4, 8, 256, 64, kernel_scalar<4, 8>, "scalar 4x8"};
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
