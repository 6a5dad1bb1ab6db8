// AVX-512 float conv kernels (ops/kernels/conv_avx512.h, Note [Channel vectors]). Every
// function that uses 512-bit registers carries the target attribute and lives in this
// file's anonymous namespace (see ops/kernels/sgemm_kernels.cpp for why).
#include "ops/kernels/conv_avx512.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <type_traits>

// GCC 12's intrinsics headers pass _mm256_undefined_*() as dummy operands, which its
// (maybe-)uninitialized warnings report once inlined (GCC bug 105593).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

// GCC 12's intrinsics headers pass _mm256_undefined_*() as dummy operands, which its
// (maybe-)uninitialized warnings report once inlined (GCC bug 105593).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace xgrad::kernels::avx512 {

namespace {

#define XGRAD_AVX512 __attribute__((target("avx512f,avx2,fma"), noinline))
#define XGRAD_AVX512_INLINE __attribute__((target("avx512f,avx2,fma"), always_inline)) inline
#define XGRAD_UNROLL _Pragma("GCC unroll 32")

constexpr std::size_t kBlock = 32;  // output channels per packed block of Wᵀ
constexpr int kPixels = 8;          // forward tile: 8 consecutive pixels of one output row

// out[i][16·NV] = bias + Σ_k src[off[k] + i] · wt[k][·] for the tile's 8 pixels.
template <int NV>
XGRAD_AVX512 void forward_tile(const float* wt, std::size_t depth, const float* bias,
                               const float* src, const std::ptrdiff_t* off, float* out) {
  __m512 acc[kPixels][NV];
  XGRAD_UNROLL for (int v = 0; v < NV; ++v) {
    const __m512 b0 = bias != nullptr ? _mm512_loadu_ps(bias + 16 * v) : _mm512_setzero_ps();
    XGRAD_UNROLL for (int i = 0; i < kPixels; ++i) acc[i][v] = b0;
  }
  for (std::size_t k = 0; k < depth; ++k, wt += 16 * NV) {
    const float* s = src + off[k];
    __m512 w[NV];
    XGRAD_UNROLL for (int v = 0; v < NV; ++v) w[v] = _mm512_loadu_ps(wt + 16 * v);
    XGRAD_UNROLL for (int i = 0; i < kPixels; ++i) {
      const __m512 x = _mm512_set1_ps(s[i]);
      XGRAD_UNROLL for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_fmadd_ps(x, w[v], acc[i][v]);
    }
  }
  XGRAD_UNROLL for (int i = 0; i < kPixels; ++i) {
    XGRAD_UNROLL for (int v = 0; v < NV; ++v) _mm512_storeu_ps(out + (i * NV + v) * 16, acc[i][v]);
  }
}

// acc[t][16·NV] += Σ_q src[t + pix[q]] · dyt[q·ld + ·] for the KW taps of one kernel row.
template <int KW, int NV>
XGRAD_AVX512 void weight_tile(const float* src, const std::ptrdiff_t* pix, std::size_t npix,
                              const float* dyt, std::size_t ld, float* acc_out,
                              std::size_t acc_ld) {
  __m512 acc[KW][NV];
  XGRAD_UNROLL for (int t = 0; t < KW; ++t) {
    XGRAD_UNROLL for (int v = 0; v < NV; ++v) {
      acc[t][v] = _mm512_loadu_ps(acc_out + t * acc_ld + 16 * v);
    }
  }
  for (std::size_t q = 0; q < npix; ++q, dyt += ld) {
    const float* s = src + pix[q];
    __m512 d[NV];
    XGRAD_UNROLL for (int v = 0; v < NV; ++v) d[v] = _mm512_loadu_ps(dyt + 16 * v);
    XGRAD_UNROLL for (int t = 0; t < KW; ++t) {
      const __m512 x = _mm512_set1_ps(s[t]);
      XGRAD_UNROLL for (int v = 0; v < NV; ++v) acc[t][v] = _mm512_fmadd_ps(x, d[v], acc[t][v]);
    }
  }
  XGRAD_UNROLL for (int t = 0; t < KW; ++t) {
    XGRAD_UNROLL for (int v = 0; v < NV; ++v) {
      _mm512_storeu_ps(acc_out + t * acc_ld + 16 * v, acc[t][v]);
    }
  }
}

template <int KW>
void weight_row(int nv, const float* src, const std::ptrdiff_t* pix, std::size_t npix,
                const float* dyt, std::size_t ld, float* acc, std::size_t acc_ld) {
  // KW · NV accumulators and NV vectors of dY stay within the 32 registers.
  if (nv == 1) return weight_tile<KW, 1>(src, pix, npix, dyt, ld, acc, acc_ld);
  if (nv == 2) return weight_tile<KW, 2>(src, pix, npix, dyt, ld, acc, acc_ld);
  if (nv == 3) return weight_tile<KW, 3>(src, pix, npix, dyt, ld, acc, acc_ld);
  if constexpr (KW <= 6) weight_tile<KW, 4>(src, pix, npix, dyt, ld, acc, acc_ld);
}

// How a tile's vectors land in dx: kWhole (rows of a multiple of 16 pixels) adds each
// vector whole; kHalves (rows of 8 pixels) adds its two halves to two dx rows. Both
// without masks: a masked store does not forward to later loads of its 64 bytes, and the
// dx rows of neighbouring taps share cache lines (a generic masked version ran 40% slower).
enum ScatterMode { kWhole, kHalves };

// Scatter tile: MB taps × NB vectors of 16 dY pixels, summed over the output channels,
// each vector's row segments added onto dx.
template <int MB, int NB, ScatterMode Mode>
XGRAD_AVX512 void scatter_tile(const float* a, std::size_t cout, std::size_t taps, const float* dy,
                               std::size_t plane, const std::size_t* slot,
                               const ScatterSlots& slots, float* dx,
                               const std::ptrdiff_t* row_off) {
  __m512 acc[MB][NB];
  XGRAD_UNROLL for (int m = 0; m < MB; ++m) {
    XGRAD_UNROLL for (int s = 0; s < NB; ++s) acc[m][s] = _mm512_setzero_ps();
  }
  const float* d[NB];
  XGRAD_UNROLL for (int s = 0; s < NB; ++s) d[s] = dy + slots.src[slot[s]];
  for (std::size_t co = 0; co < cout; ++co, a += MB) {
    __m512 y[NB];
    XGRAD_UNROLL for (int s = 0; s < NB; ++s) y[s] = _mm512_loadu_ps(d[s] + co * plane);
    XGRAD_UNROLL for (int m = 0; m < MB; ++m) {
      const __m512 x = _mm512_set1_ps(a[m]);
      XGRAD_UNROLL for (int s = 0; s < NB; ++s) acc[m][s] = _mm512_fmadd_ps(x, y[s], acc[m][s]);
    }
  }
  std::ptrdiff_t dst[NB][2];
  XGRAD_UNROLL for (int s = 0; s < NB; ++s) {
    const Segment* seg = &slots.segments[slots.first[slot[s]]];
    dst[s][0] = seg[0].dst;
    dst[s][1] = Mode == kHalves ? seg[1].dst : 0;
  }
  XGRAD_UNROLL for (int m = 0; m < MB; ++m) {
    if (std::size_t(m) >= taps) break;
    float* t = dx + row_off[m];
    XGRAD_UNROLL for (int s = 0; s < NB; ++s) {
      if constexpr (Mode == kWhole) {
        float* p = t + dst[s][0];
        _mm512_storeu_ps(p, _mm512_add_ps(_mm512_loadu_ps(p), acc[m][s]));
      } else {
        float* p0 = t + dst[s][0];
        float* p1 = t + dst[s][1];
        const __m256 lo = _mm512_castps512_ps256(acc[m][s]);
        const __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(acc[m][s]), 1));
        _mm256_storeu_ps(p0, _mm256_add_ps(_mm256_loadu_ps(p0), lo));
        _mm256_storeu_ps(p1, _mm256_add_ps(_mm256_loadu_ps(p1), hi));
      }
    }
  }
}

constexpr int kScatterTaps = 6;  // 6 taps × 4 vectors of dY pixels = 24 accumulators

// The input under a vector of 16 output pixels (two masked loads; the second one is empty
// when the vector lies in one row, and masked lanes are never read).
XGRAD_AVX512_INLINE __m512 pixel_load(const float* base, std::ptrdiff_t src0, std::ptrdiff_t src1,
                                      __mmask16 first) {
  const __m512 v = _mm512_maskz_loadu_ps(first, base + src0);
  return _mm512_mask_loadu_ps(v, __mmask16(~first), base + src1);
}

// y for MB channels × NB pixel vectors: Σ_k w[k][m] · input.
template <int MB, int NB, bool Cross>
XGRAD_AVX512 void pixel_forward_tile(const float* a, std::size_t depth, const float* bias,
                                     std::size_t rows, const float* src, const std::ptrdiff_t* off,
                                     const PixelSlots& slots, std::size_t s0, float* y,
                                     std::size_t plane) {
  __m512 acc[MB][NB];
  XGRAD_UNROLL for (int m = 0; m < MB; ++m) {
    const float b0 = bias != nullptr && std::size_t(m) < rows ? bias[m] : 0.0f;
    XGRAD_UNROLL for (int s = 0; s < NB; ++s) acc[m][s] = _mm512_set1_ps(b0);
  }
  __mmask16 first[NB];
  XGRAD_UNROLL for (int s = 0; s < NB; ++s) {
    first[s] = __mmask16((1u << slots.split[s0 + s]) - 1);
  }
  for (std::size_t k = 0; k < depth; ++k, a += MB) {
    const float* base = src + off[k];
    __m512 x[NB];
    XGRAD_UNROLL for (int s = 0; s < NB; ++s) {
      x[s] = Cross ? pixel_load(base, slots.src0[s0 + s], slots.src1[s0 + s], first[s])
                   : _mm512_loadu_ps(base + slots.src0[s0 + s]);
    }
    XGRAD_UNROLL for (int m = 0; m < MB; ++m) {
      const __m512 w = _mm512_set1_ps(a[m]);
      XGRAD_UNROLL for (int s = 0; s < NB; ++s) acc[m][s] = _mm512_fmadd_ps(w, x[s], acc[m][s]);
    }
  }
  XGRAD_UNROLL for (int m = 0; m < MB; ++m) {
    if (std::size_t(m) >= rows) break;
    XGRAD_UNROLL for (int s = 0; s < NB; ++s) {
      _mm512_storeu_ps(y + m * plane + slots.q0[s0 + s], acc[m][s]);
    }
  }
}

// MB channels × KB taps of dW, over every vector of `count` images; res[m·KB + t].
template <int MB, int KB>
XGRAD_AVX512 void pixel_weight_tile(const float* dy, std::size_t plane, std::size_t dy_image,
                                    const float* src, std::size_t src_image, std::size_t count,
                                    const std::ptrdiff_t* off, const PixelSlots& slots,
                                    float* res) {
  __m512 acc[MB][KB];
  XGRAD_UNROLL for (int m = 0; m < MB; ++m) {
    XGRAD_UNROLL for (int t = 0; t < KB; ++t) acc[m][t] = _mm512_setzero_ps();
  }
  const std::size_t n = slots.q0.size();
  for (std::size_t i = 0; i < count; ++i, dy += dy_image, src += src_image) {
    for (std::size_t s = 0; s < n; ++s) {
      const __mmask16 first = __mmask16((1u << slots.split[s]) - 1);
      __m512 x[KB];
      if (s < slots.crossing) {
        XGRAD_UNROLL for (int t = 0; t < KB; ++t) x[t] =
            _mm512_loadu_ps(src + off[t] + slots.src0[s]);
      } else {
        XGRAD_UNROLL for (int t = 0; t < KB; ++t) {
          x[t] = pixel_load(src + off[t], slots.src0[s], slots.src1[s], first);
        }
      }
      XGRAD_UNROLL for (int m = 0; m < MB; ++m) {
        const __m512 d = _mm512_loadu_ps(dy + m * plane + slots.q0[s]);
        XGRAD_UNROLL for (int t = 0; t < KB; ++t) acc[m][t] = _mm512_fmadd_ps(d, x[t], acc[m][t]);
      }
    }
  }
  XGRAD_UNROLL for (int m = 0; m < MB; ++m) {
    XGRAD_UNROLL for (int t = 0; t < KB; ++t) res[m * KB + t] = _mm512_reduce_add_ps(acc[m][t]);
  }
}

constexpr int kPixelRows = 8, kPixelSlots = 3;   // forward: 8 channels × 3 vectors
constexpr int kWeightRows = 4, kWeightTaps = 5;  // dW: 4 channels × 5 taps

}  // namespace

PackedWt pack_wt(const float* w, std::size_t channels, std::size_t depth) {
  PackedWt p;
  p.channels = channels;
  p.depth = depth;
  const std::size_t blocks = (channels + kBlock - 1) / kBlock;
  p.data.assign(blocks * depth * kBlock, 0.0f);
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t c0 = b * kBlock, width = std::min(kBlock, (channels - c0 + 15) / 16 * 16);
    float* dst = p.data.data() + b * depth * kBlock;
    for (std::size_t k = 0; k < depth; ++k) {
      for (std::size_t c = c0; c < std::min(channels, c0 + kBlock); ++c) {
        dst[k * width + c - c0] = w[c * depth + k];
      }
    }
  }
  return p;
}

void forward_rows(const PackedWt& wt, const float* bias, const float* src, std::size_t wp,
                  const std::ptrdiff_t* off, std::size_t out_h, std::size_t out_w, float* y) {
  const std::size_t plane = out_h * out_w;
  alignas(64) float tile[kPixels * kBlock];
  alignas(64) float b[kBlock];
  // Tiles of 8 pixels along each output row, or along the input's rows of wp pixels, of
  // which an output row is the first out_w (the others are computed and dropped): fewer
  // tiles when out_w is not a multiple of 8: 11-wide maps (a 3x3-kernel CNN's conv2) take
  // 18 tiles instead of 22 (two per row, overlapping). Same sums either way, pixel by pixel.
  const std::size_t flat = (out_h - 1) * wp + out_w;  // from the first output to the last
  const bool by_rows = out_h * ((out_w + kPixels - 1) / kPixels) <= (flat + kPixels - 1) / kPixels;
  for (std::size_t c0 = 0; c0 < wt.channels; c0 += kBlock) {
    const std::size_t count = std::min(kBlock, wt.channels - c0), nv = (count + 15) / 16;
    const float* block = wt.data.data() + c0 * wt.depth;
    const float* bb = nullptr;
    if (bias != nullptr) {
      std::fill(b, b + kBlock, 0.0f);
      std::copy_n(bias + c0, count, b);
      bb = b;
    }
    auto run_tile = [&](const float* s) {
      if (nv == 2) {
        forward_tile<2>(block, wt.depth, bb, s, off, tile);
      } else {
        forward_tile<1>(block, wt.depth, bb, s, off, tile);
      }
    };
    if (by_rows) {
      for (std::size_t oh = 0; oh < out_h; ++oh) {
        for (std::size_t ow0 = 0;; ow0 += kPixels) {  // the last tile ends at out_w (may overlap)
          const std::size_t ow = std::min(ow0, out_w - kPixels);
          run_tile(src + oh * wp + ow);
          float* yo = y + c0 * plane + oh * out_w + ow;
          for (std::size_t c = 0; c < count; ++c) {
            for (int i = 0; i < kPixels; ++i) yo[c * plane + i] = tile[i * nv * 16 + c];
          }
          if (ow == out_w - kPixels) break;
        }
      }
      continue;
    }
    for (std::size_t q0 = 0;; q0 += kPixels) {  // the last tile ends at `flat` (may overlap)
      const std::size_t q = std::min(q0, flat - kPixels);
      run_tile(src + q);
      for (int i = 0; i < kPixels; ++i) {
        const std::size_t oh = (q + std::size_t(i)) / wp, ow = (q + std::size_t(i)) % wp;
        if (ow >= out_w) continue;  // a column between two output rows
        float* yo = y + c0 * plane + oh * out_w + ow;
        for (std::size_t c = 0; c < count; ++c) yo[c * plane] = tile[i * nv * 16 + c];
      }
      if (q == flat - kPixels) break;
    }
  }
}

void transpose_dy(const float* dy, std::size_t channels, std::size_t plane,
                  std::vector<float>& dyt) {
  dyt.resize(plane * channels);
  constexpr std::size_t kTile = 16;
  for (std::size_t q0 = 0; q0 < plane; q0 += kTile) {
    for (std::size_t c0 = 0; c0 < channels; c0 += kTile) {
      for (std::size_t c = c0; c < std::min(channels, c0 + kTile); ++c) {
        for (std::size_t q = q0; q < std::min(plane, q0 + kTile); ++q) {
          dyt[q * channels + c] = dy[c * plane + q];
        }
      }
    }
  }
}

void weight_rows(const float* src, const std::ptrdiff_t* row_off, std::size_t rows, std::size_t kw,
                 const std::ptrdiff_t* pix, std::size_t npix, const float* dyt,
                 std::size_t channels, float* acc) {
  const std::size_t max_nv = kw <= 6 ? 4 : 3;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c0 = 0; c0 < channels; c0 += 16 * max_nv) {
      const int nv = int(std::min(max_nv, (channels - c0) / 16));
      const float* s = src + row_off[r];
      float* out = acc + r * kw * channels + c0;
      switch (kw) {
        case 1:
          weight_row<1>(nv, s, pix, npix, dyt + c0, channels, out, channels);
          break;
        case 2:
          weight_row<2>(nv, s, pix, npix, dyt + c0, channels, out, channels);
          break;
        case 3:
          weight_row<3>(nv, s, pix, npix, dyt + c0, channels, out, channels);
          break;
        case 4:
          weight_row<4>(nv, s, pix, npix, dyt + c0, channels, out, channels);
          break;
        case 5:
          weight_row<5>(nv, s, pix, npix, dyt + c0, channels, out, channels);
          break;
        case 6:
          weight_row<6>(nv, s, pix, npix, dyt + c0, channels, out, channels);
          break;
        default:
          weight_row<7>(nv, s, pix, npix, dyt + c0, channels, out, channels);
          break;
      }
    }
  }
}

PackedTaps pack_taps(const float* wt, std::size_t taps, std::size_t cout) {
  PackedTaps p;
  p.taps = taps;
  p.cout = cout;
  const std::size_t blocks = (taps + kScatterTaps - 1) / kScatterTaps;
  p.data.assign(blocks * cout * kScatterTaps, 0.0f);
  for (std::size_t t = 0; t < taps; ++t) {
    float* dst = p.data.data() + (t / kScatterTaps) * cout * kScatterTaps + t % kScatterTaps;
    for (std::size_t co = 0; co < cout; ++co) dst[co * kScatterTaps] = wt[t * cout + co];
  }
  return p;
}

namespace {

template <ScatterMode Mode>
void scatter_blocks(const PackedTaps& wt, const float* dy, std::size_t plane,
                    const ScatterSlots& slots, float* dx, const std::ptrdiff_t* row_off) {
  const std::size_t n = slots.src.size(), cout = wt.cout;
  std::size_t idx[4];
  for (std::size_t t0 = 0; t0 < wt.taps; t0 += kScatterTaps) {
    const float* a = wt.data.data() + t0 * cout;
    const std::size_t count = std::min<std::size_t>(kScatterTaps, wt.taps - t0);
    std::size_t s = 0;
    for (; s + 4 <= n; s += 4) {
      for (std::size_t j = 0; j < 4; ++j) idx[j] = s + j;
      scatter_tile<kScatterTaps, 4, Mode>(a, cout, count, dy, plane, idx, slots, dx, row_off + t0);
    }
    for (; s < n; ++s) {
      idx[0] = s;
      scatter_tile<kScatterTaps, 1, Mode>(a, cout, count, dy, plane, idx, slots, dx, row_off + t0);
    }
  }
}

}  // namespace

PixelSlots pixel_slots(std::size_t out_h, std::size_t out_w, std::size_t wp) {
  PixelSlots p;
  for (int pass = 0; pass < 2; ++pass) {  // vectors in one row first: they need one load
    if (pass == 1) p.crossing = p.q0.size();
    for (std::size_t q0 = 0; q0 < out_h * out_w; q0 += 16) {
      const std::size_t oh = q0 / out_w, ow = q0 % out_w;
      const unsigned split = unsigned(std::min<std::size_t>(16, out_w - ow));
      if ((split < 16) != (pass == 1)) continue;
      p.q0.push_back(std::ptrdiff_t(q0));
      p.src0.push_back(std::ptrdiff_t(oh * wp + ow));
      p.src1.push_back(std::ptrdiff_t((oh + 1) * wp) - std::ptrdiff_t(split));
      p.split.push_back(split);
    }
  }
  return p;
}

void pixel_forward(const float* w, std::size_t cout, std::size_t depth, const float* bias,
                   const float* src, const std::ptrdiff_t* off, const PixelSlots& slots,
                   std::size_t plane, float* y) {
  // W in blocks of kPixelRows channels, k-major (a[k][m]), zero-padded.
  thread_local std::vector<float> a;
  const std::size_t blocks = (cout + kPixelRows - 1) / kPixelRows;
  a.assign(blocks * depth * kPixelRows, 0.0f);
  for (std::size_t co = 0; co < cout; ++co) {
    for (std::size_t k = 0; k < depth; ++k) {
      a[(co / kPixelRows * depth + k) * kPixelRows + co % kPixelRows] = w[co * depth + k];
    }
  }
  const std::size_t n = slots.q0.size();
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t c0 = b * kPixelRows, rows = std::min<std::size_t>(kPixelRows, cout - c0);
    const float* ab = a.data() + b * depth * kPixelRows;
    const float* bb = bias != nullptr ? bias + c0 : nullptr;
    auto run = [&](auto cross, std::size_t s, std::size_t end) {
      constexpr bool kCross = decltype(cross)::value;
      for (; s + kPixelSlots <= end; s += kPixelSlots) {
        pixel_forward_tile<kPixelRows, kPixelSlots, kCross>(ab, depth, bb, rows, src, off, slots, s,
                                                            y + c0 * plane, plane);
      }
      for (; s < end; ++s) {
        pixel_forward_tile<kPixelRows, 1, kCross>(ab, depth, bb, rows, src, off, slots, s,
                                                  y + c0 * plane, plane);
      }
    };
    run(std::false_type(), 0, slots.crossing);
    run(std::true_type(), slots.crossing, n);
  }
}

void pixel_weight(const float* dy, std::size_t cout, std::size_t plane, std::size_t dy_image,
                  const float* src, std::size_t src_image, std::size_t count,
                  const std::ptrdiff_t* off, std::size_t depth, const PixelSlots& slots,
                  float* acc) {
  float res[kWeightRows * kWeightTaps];
  for (std::size_t c0 = 0; c0 < cout; c0 += kWeightRows) {
    // channels past cout repeat the last one; their sums are dropped
    const std::size_t rows = std::min<std::size_t>(kWeightRows, cout - c0);
    const float* d = dy + (rows == kWeightRows ? c0 : cout - kWeightRows) * plane;
    const std::size_t skip = rows == kWeightRows ? 0 : kWeightRows - rows;
    for (std::size_t k0 = 0; k0 < depth; k0 += kWeightTaps) {
      std::ptrdiff_t o[kWeightTaps];
      for (int t = 0; t < kWeightTaps; ++t) o[t] = off[std::min<std::size_t>(k0 + t, depth - 1)];
      pixel_weight_tile<kWeightRows, kWeightTaps>(d, plane, dy_image, src, src_image, count, o,
                                                  slots, res);
      for (std::size_t m = skip; m < kWeightRows; ++m) {
        for (std::size_t t = 0; t < kWeightTaps && k0 + t < depth; ++t) {
          acc[(c0 + m - skip) * depth + k0 + t] += res[m * kWeightTaps + t];
        }
      }
    }
  }
}

void scatter_add(const PackedTaps& wt, const float* dy, std::size_t plane,
                 const ScatterSlots& slots, float* dx, const std::ptrdiff_t* row_off,
                 std::size_t row_width) {
  if (row_width % 16 == 0) return scatter_blocks<kWhole>(wt, dy, plane, slots, dx, row_off);
  scatter_blocks<kHalves>(wt, dy, plane, slots, dx, row_off);
}

}  // namespace xgrad::kernels::avx512
