// ops/kernels/vector_math.h: AVX-512F and AVX2 loops around libmvec's vector expf, each
// compiled for its instruction set with a target attribute (as ops/kernels/sgemm_kernels.cpp).
#include "ops/kernels/vector_math.h"

#include <immintrin.h>

#include <algorithm>

#include "ops/sigmoid.h"

// libmvec's entry points (glibc's vector function ABI names: 'e' = AVX-512, 'd' = AVX2,
// N16/N8 lanes, one vector argument). Declared here: math.h declares them only for code
// compiled with -ffast-math for that instruction set.
extern "C" {
__attribute__((target("avx512f"))) __m512 _ZGVeN16v_expf(__m512 x);
__attribute__((target("avx2"))) __m256 _ZGVdN8v_expf(__m256 x);
}

namespace xgrad::kernels {

namespace {

#define XGRAD_AVX512 __attribute__((target("avx512f,avx2,fma"), noinline))
#define XGRAD_AVX2 __attribute__((target("avx2,fma"), noinline))

// The numerator is selected, not branched on: (x >= 0 ? 1 : e) / (1 + e), e = e^-|x|.
XGRAD_AVX512 void sigmoid_avx512(const float* x, float* y, std::size_t n) {
  const __m512 one = _mm512_set1_ps(1.0f), zero = _mm512_setzero_ps();
  const __m512i sign = _mm512_set1_epi32(int(0x80000000u));
  for (std::size_t i = 0; i < n; i += 16) {
    const __mmask16 lanes = n - i >= 16 ? __mmask16(0xffff) : __mmask16((1u << (n - i)) - 1);
    // the tail's missing lanes read 0: the vector call sees 16 valid values
    const __m512 v = _mm512_maskz_loadu_ps(lanes, x + i);
    const __m512 e =  // e^−|v|: the sign bit set
        _ZGVeN16v_expf(_mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(v), sign)));
    const __mmask16 nonneg = _mm512_cmp_ps_mask(v, zero, _CMP_GE_OQ);
    const __m512 num = _mm512_mask_blend_ps(nonneg, e, one);
    _mm512_mask_storeu_ps(y + i, lanes, _mm512_div_ps(num, _mm512_add_ps(one, e)));
  }
}

XGRAD_AVX2 void sigmoid_avx2(const float* x, float* y, std::size_t n) {
  const __m256 one = _mm256_set1_ps(1.0f), zero = _mm256_setzero_ps();
  const __m256 sign = _mm256_set1_ps(-0.0f);
  for (std::size_t i = 0; i < n; i += 8) {
    const std::size_t count = std::min<std::size_t>(8, n - i);
    alignas(32) float in[8] = {}, out[8];
    const float* src = x + i;
    if (count < 8) {
      std::copy_n(x + i, count, in);  // the tail on a zero-padded copy
      src = in;
    }
    const __m256 v = _mm256_loadu_ps(src);
    const __m256 e = _ZGVdN8v_expf(_mm256_or_ps(v, sign));  // e^−|v|
    const __m256 nonneg = _mm256_cmp_ps(v, zero, _CMP_GE_OQ);
    const __m256 r = _mm256_div_ps(_mm256_blendv_ps(e, one, nonneg), _mm256_add_ps(one, e));
    if (count == 8) {
      _mm256_storeu_ps(y + i, r);
    } else {
      _mm256_store_ps(out, r);
      std::copy_n(out, count, y + i);
    }
  }
}

}  // namespace

void sigmoid_f32(const float* x, float* y, std::size_t n, Isa isa) {
  switch (isa) {
    case Isa::kAvx512:
      return sigmoid_avx512(x, y, n);
    case Isa::kAvx2:
      return sigmoid_avx2(x, y, n);
    default:
      for (std::size_t i = 0; i < n; ++i) y[i] = sigmoid(x[i]);
  }
}

}  // namespace xgrad::kernels
