// AVX-512 float kernels for stride-1 convolutions with many channels (the main job's
// conv 32 -> 64 on 12×12 images); compiled with target attributes and run only when
// active_isa() is avx512 (Note [Choosing kernels at run time], ops/kernels/cpu_isa.h).
//
// Note [Channel vectors]. With 8×8 output planes, a 16-float vector along the pixels
// would straddle two output rows, whose inputs are not adjacent; along the output
// channels it is always full. So the forward pass and the weight gradient put 16
// channels in a vector and broadcast the input pixel, read in place:
//   forward: acc[i][v] = b + Σ_k x[off[k] + row + i] · wt[k][16v..16v+15]
//            (8 consecutive pixels i of one output row; wt = Wᵀ packed k-major)
//   weight:  acc[t][v] += Σ_q x[tap_row + t + pix[q]] · dyt[q][16v..16v+15]
//            (the KW taps t of one kernel row; dyt = one image's dY transposed, pixel-major)
// The forward tile is transposed once at the end, back to (channel, pixel) order: one
// store per 8·K multiply-adds. The input gradient keeps vectors along the pixels of dY
// (16 consecutive pixels of a plane, contiguous in memory), and scatters each vector's
// row segments onto dx (`scatter_add_tile`).
// Sums run in a fixed order (k ascending; pixels ascending), whatever the split of work.
// Thread safety: pure functions; callers give each task its own outputs.
#pragma once

#include <cstddef>
#include <vector>

namespace xgrad::kernels::avx512 {

// Wᵀ of one group, packed for `forward_rows`: blocks of 32 output channels (the last one
// zero-padded to 16 or 32), each k-major: data[block][k][width].
struct PackedWt {
  std::size_t channels = 0, depth = 0;
  std::vector<float> data;
};
// w: channels × depth, row-major.
PackedWt pack_wt(const float* w, std::size_t channels, std::size_t depth);

// y[co][oh][ow] = bias[co] (or 0) + Σ_k src[off[k] + oh·wp + ow] · W[co][k] for every
// output row oh < out_h, ow < out_w, and every channel of wt; y planes are out_h·out_w apart.
// REQUIRES: out_w >= 8; src readable at every off[k] + oh·wp + ow.
void forward_rows(const PackedWt& wt, const float* bias, const float* src, std::size_t wp,
                  const std::ptrdiff_t* off, std::size_t out_h, std::size_t out_w, float* y);

// dyt (plane × channels) = dy (channels × plane) transposed; returns dyt.data().
void transpose_dy(const float* dy, std::size_t channels, std::size_t plane,
                  std::vector<float>& dyt);

// acc[r][t][co] += Σ_q src[row_off[r] + t + pix[q]] · dyt[q][co] for each kernel row r <
// rows, tap t < kw, and channel co < channels (acc: rows × kw × channels, co fastest).
// REQUIRES: kw in {1, ..., 7}; channels a multiple of 16.
void weight_rows(const float* src, const std::ptrdiff_t* row_off, std::size_t rows, std::size_t kw,
                 const std::ptrdiff_t* pix, std::size_t npix, const float* dyt,
                 std::size_t channels, float* acc);

// The destinations of a dY vector (16 consecutive pixels of a plane) in dx: its lanes
// [lane, lane + count) go to dx + row_off[tap] + dst, for each segment (one per dY row).
struct Segment {
  unsigned lane, count;
  std::ptrdiff_t dst;
};
struct ScatterSlots {
  std::vector<std::ptrdiff_t> src;  // first pixel of each vector in the dY plane
  std::vector<std::size_t> first;   // segments of vector s: [first[s], first[s + 1])
  std::vector<Segment> segments;
};

// Wᵀ (taps × cout, row-major) in blocks of 6 taps, each cout-major: data[block][co][6].
struct PackedTaps {
  std::size_t taps = 0, cout = 0;
  std::vector<float> data;
};
PackedTaps pack_taps(const float* wt, std::size_t taps, std::size_t cout);

// dx[row_off[m] + seg.dst + l] += Σ_co wt[m][co] · dy[co·plane + slot.src + seg.lane + l]
// for each tap m, each vector of `slots` and each of its segments. row_width: the width of
// the dY rows the vectors come from.
// REQUIRES: row_width a multiple of 16 (one segment per vector) or 8 (two, at lanes 0 and
// 8); dy readable 16 floats from every slot.src of every channel.
void scatter_add(const PackedTaps& wt, const float* dy, std::size_t plane,
                 const ScatterSlots& slots, float* dx, const std::ptrdiff_t* row_off,
                 std::size_t row_width);

// Vectors of 16 consecutive output pixels of a plane whose rows hold at least 16: a vector
// covers one row or the end of one and the start of the next. Lanes [0, split) read the
// input at src0 + lane, lanes [split, 16) at src1 + lane (src1 = next row's start − split).
struct PixelSlots {
  std::vector<std::ptrdiff_t> q0, src0, src1;
  std::vector<unsigned> split;  // 16: the vector lies in one row
  std::size_t crossing = 0;     // vectors [crossing, size) span two rows; the others, one
};
// REQUIRES: out_w >= 16, out_h·out_w a multiple of 16; wp: the input row stride.
PixelSlots pixel_slots(std::size_t out_h, std::size_t out_w, std::size_t wp);

// y[co·plane + q] = bias[co] (or 0) + Σ_k w[co·depth + k] · src[off[k] + input of q], for
// every output pixel q and channel co < cout (plane = out_h·out_w).
void pixel_forward(const float* w, std::size_t cout, std::size_t depth, const float* bias,
                   const float* src, const std::ptrdiff_t* off, const PixelSlots& slots,
                   std::size_t plane, float* y);

// acc[co·depth + k] += Σ_images Σ_q dy[co·plane + q] · src[off[k] + input of q] over
// `count` images (dy and src images dy_image and src_image apart); each sum in a fixed
// order (images, vectors, then across the vector).
void pixel_weight(const float* dy, std::size_t cout, std::size_t plane, std::size_t dy_image,
                  const float* src, std::size_t src_image, std::size_t count,
                  const std::ptrdiff_t* off, std::size_t depth, const PixelSlots& slots,
                  float* acc);

}  // namespace xgrad::kernels::avx512
