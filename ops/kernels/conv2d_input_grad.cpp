// The conv2d input-gradient driver (ops/conv2d.h): per image, Wᵀ · dY scattered onto the
// image by the slot kernel for stride 1, else col2im(Wᵀ · dY).
#include <type_traits>

#include "ops/kernels/conv2d_plan.h"
#include "ops/kernels/conv_avx512.h"
#include "ops/kernels/cpu_isa.h"
#include "ops/kernels/gemm.h"

namespace xgrad::kernels {

using conv_detail::image_grain;
using conv_detail::Plan;

namespace {

// Stride 1 (Plan::implicit): dx += Wᵀ · dY scattered tap by tap onto the image by the slot
// kernel (Note [Slot GEMM]). dY rows are read in whole vectors: when OW is not a multiple
// of L they are copied into rows of OWp = ⌈OW/L⌉·L with zeros after OW, and dx is built in
// a buffer wide enough for those extra columns (and the padding), then cropped.
template <class T>
void backward_input_scatter(const Plan<T>& p, const T* w, const T* dy, T* dx) {
  const Conv2dShape& s = p.s;
  const WindowGeometry& g = p.g;
  const std::size_t L = kLanes<T>, oh = g.out_h, ow = g.out_w, owp = (ow + L - 1) / L * L;
  const std::size_t hd = oh + (g.kernel[0] - 1) * g.dilation[0];   // = H + 2·Ph
  const std::size_t wd = owp + (g.kernel[1] - 1) * g.dilation[1];  // >= W + 2·Pw
  const bool copy_dy = owp != ow, direct = !copy_dy && !p.padded;  // direct: dx is the buffer
  // Taps in (c, kw, kh) order: rows next to each other in a tile then land a whole dx row
  // apart, not one element apart (overlapping read-modify-writes stall store forwarding).
  std::vector<std::size_t> tap;  // tile row -> tap index (c, kh, kw)
  std::vector<std::ptrdiff_t> off, row_off;
  for (std::size_t c = 0; c < p.cin_g; ++c) {
    for (std::size_t kw = 0; kw < g.kernel[1]; ++kw) {
      for (std::size_t kh = 0; kh < g.kernel[0]; ++kh) {
        tap.push_back((c * g.kernel[0] + kh) * g.kernel[1] + kw);
        row_off.push_back(std::ptrdiff_t((c * hd + kh * g.dilation[0]) * wd + kw * g.dilation[1]));
      }
    }
  }
  std::vector<PackedRows<T>> packed;
  std::vector<T> wt(p.rows_g * p.cout_g);  // one group's Wᵀ, rows in tile order
  for (std::size_t grp = 0; grp < s.groups; ++grp) {
    const T* wg = w + grp * p.cout_g * p.rows_g;
    for (std::size_t r = 0; r < p.rows_g; ++r) {
      for (std::size_t o = 0; o < p.cout_g; ++o) wt[r * p.cout_g + o] = wg[o * p.rows_g + tap[r]];
    }
    packed.push_back(pack_rows(wt.data(), p.rows_g, p.cout_g, p.cout_g, 1));
  }
  for (std::size_t o = 0; o < p.cout_g; ++o) off.push_back(std::ptrdiff_t(o * oh * owp));
  SlotList slots;
  for (std::size_t i = 0; i < oh; ++i) {
    for (std::size_t j = 0; j < owp; j += L)
      slots.add(std::ptrdiff_t(i * owp + j), std::ptrdiff_t(i * wd + j));
  }
  parallel_for(0, s.batch, image_grain(s.batch), [&](std::size_t n0, std::size_t n1) {
    std::vector<T> dyb(copy_dy ? s.out_channels * oh * owp : 0, T(0));  // zero tails stay zero
    std::vector<T> dxb(direct ? 0 : s.in_channels * hd * wd);
    for (std::size_t n = n0; n < n1; ++n) {
      const T* src = dy + n * p.y_image();
      if (copy_dy) {
        for (std::size_t r = 0; r < s.out_channels * oh; ++r) {
          std::memcpy(dyb.data() + r * owp, src + r * ow, ow * sizeof(T));
        }
        src = dyb.data();
      }
      T* dxn = dx + n * p.x_image();
      T* dst = direct ? dxn : dxb.data();
      std::fill_n(dst, s.in_channels * hd * wd, T(0));
      for (std::size_t grp = 0; grp < s.groups; ++grp) {
        slot_gemm(packed[grp], static_cast<const T*>(nullptr), src + grp * p.cout_g * oh * owp,
                  off.data(), slots, dst + grp * p.cin_g * hd * wd, row_off.data(), true);
      }
      if (direct) continue;
      for (std::size_t c = 0; c < s.in_channels; ++c) {
        for (std::size_t h = 0; h < g.in_h; ++h) {
          std::memcpy(dxn + (c * g.in_h + h) * g.in_w,
                      dst + (c * hd + h + g.padding[0]) * wd + g.padding[1], g.in_w * sizeof(T));
        }
      }
    }
  });
}

// Stride 1 on AVX-512: the same scatter with vectors of 16 consecutive pixels of a dY
// plane (which may span rows: each vector's row segments go to their own dx rows).
// REQUIRES: the plane holds whole vectors.
void backward_input_avx512(const Plan<float>& p, const float* w, const float* dy, float* dx) {
  const Conv2dShape& s = p.s;
  const WindowGeometry& g = p.g;
  const std::size_t hd = p.hp, wd = p.wp, ow = g.out_w;
  const bool direct = !p.padded;  // dx itself is the buffer
  // Taps in (kh, kw, c) order: the taps of one tile then write to different channel planes,
  // so no masked store is read back before it retires (a masked store does not forward).
  std::vector<std::size_t> tap;  // tile row -> tap (c, kh, kw)
  std::vector<std::ptrdiff_t> row_off;
  for (std::size_t kh = 0; kh < g.kernel[0]; ++kh) {
    for (std::size_t kw = 0; kw < g.kernel[1]; ++kw) {
      for (std::size_t c = 0; c < p.cin_g; ++c) {
        tap.push_back((c * g.kernel[0] + kh) * g.kernel[1] + kw);
        row_off.push_back(std::ptrdiff_t((c * hd + kh * g.dilation[0]) * wd + kw * g.dilation[1]));
      }
    }
  }
  std::vector<avx512::PackedTaps> packed;
  std::vector<float> wt(p.rows_g * p.cout_g);
  for (std::size_t grp = 0; grp < s.groups; ++grp) {
    const float* wg = w + grp * p.cout_g * p.rows_g;
    for (std::size_t r = 0; r < p.rows_g; ++r) {
      for (std::size_t o = 0; o < p.cout_g; ++o) wt[r * p.cout_g + o] = wg[o * p.rows_g + tap[r]];
    }
    packed.push_back(avx512::pack_taps(wt.data(), p.rows_g, p.cout_g));
  }
  avx512::ScatterSlots slots;
  for (std::size_t q0 = 0; q0 < p.out_plane; q0 += 16) {
    slots.src.push_back(std::ptrdiff_t(q0));
    slots.first.push_back(slots.segments.size());
    for (unsigned l = 0; l < 16; ++l) {
      const std::size_t q = q0 + l, oh = q / ow, x = q % ow;
      if (l == 0 || x == 0) {
        slots.segments.push_back({l, 0, std::ptrdiff_t(oh * wd + x)});
      }
      ++slots.segments.back().count;
    }
  }
  slots.first.push_back(slots.segments.size());
  parallel_for(0, s.batch, image_grain(s.batch), [&](std::size_t n0, std::size_t n1) {
    std::vector<float> dxb(direct ? 0 : s.in_channels * hd * wd);
    for (std::size_t n = n0; n < n1; ++n) {
      float* dxn = dx + n * p.x_image();
      float* dst = direct ? dxn : dxb.data();
      std::fill_n(dst, s.in_channels * hd * wd, 0.0f);
      for (std::size_t grp = 0; grp < s.groups; ++grp) {
        avx512::scatter_add(packed[grp], dy + n * p.y_image() + grp * p.cout_g * p.out_plane,
                            p.out_plane, slots, dst + grp * p.cin_g * hd * wd, row_off.data(), ow);
      }
      if (direct) continue;
      for (std::size_t c = 0; c < s.in_channels; ++c) {
        for (std::size_t h = 0; h < g.in_h; ++h) {
          std::memcpy(dxn + (c * g.in_h + h) * g.in_w,
                      dst + (c * hd + h + g.padding[0]) * wd + g.padding[1],
                      g.in_w * sizeof(float));
        }
      }
    }
  });
}

// The 16-pixel scatter pays where each tile sums enough output channels (its stores are
// amortised over Cout multiply-adds) and dY rows split vectors into whole halves or none.
template <class T>
bool pixel_vectors_avx512(const Plan<T>& p) {
  return std::is_same_v<T, float> && active_isa() == Isa::kAvx512 && p.implicit &&
         p.out_plane % 16 == 0 && p.cout_g >= 16 && (p.g.out_w % 16 == 0 || p.g.out_w == 8);
}

}  // namespace

template <class T>
void conv2d_backward_input(const Conv2dShape& s, const T* w, const T* dy, T* dx) {
  const Plan<T> p(s);
  if constexpr (std::is_same_v<T, float>) {
    if (pixel_vectors_avx512(p)) return backward_input_avx512(p, w, dy, dx);
  }
  if (p.implicit) return backward_input_scatter(p, w, dy, dx);
  const std::size_t L = kLanes<T>, plane = p.out_plane;
  // dcol = W_gᵀ · dY_g, then col2im: with the slot kernel when dY's planes hold a vector
  // (slots run along each contiguous plane), else with BLAS.
  const bool slot = plane >= L;
  std::vector<PackedRows<T>> packed;
  std::vector<std::ptrdiff_t> off, row_off;
  SlotList slots;
  if (slot) {
    for (std::size_t grp = 0; grp < s.groups; ++grp) {
      packed.push_back(pack_rows(w + grp * p.cout_g * p.rows_g, p.rows_g, p.cout_g, 1, p.rows_g));
    }
    for (std::size_t o = 0; o < p.cout_g; ++o) off.push_back(std::ptrdiff_t(o * plane));
    for (std::size_t r = 0; r < p.rows_g; ++r) row_off.push_back(std::ptrdiff_t(r * plane));
    for (std::size_t q0 = 0;; q0 += L) {
      const std::size_t q = std::min(q0, plane - L);
      slots.add(std::ptrdiff_t(q), std::ptrdiff_t(q));
      if (q == plane - L) break;
    }
  }
  parallel_for(0, s.batch, image_grain(s.batch), [&](std::size_t n0, std::size_t n1) {
    std::vector<T> dcol(p.rows_g * plane);
    for (std::size_t n = n0; n < n1; ++n) {
      T* dxn = dx + n * p.x_image();
      std::fill_n(dxn, p.x_image(), T(0));
      for (std::size_t grp = 0; grp < s.groups; ++grp) {
        const T* dyg = dy + n * p.y_image() + grp * p.cout_g * plane;
        if (slot) {
          slot_gemm(packed[grp], static_cast<const T*>(nullptr), dyg, off.data(), slots,
                    dcol.data(), row_off.data(), false);
        } else {
          gemm_serial<T>(true, false, p.rows_g, plane, p.cout_g, T(1),
                         w + grp * p.cout_g * p.rows_g, p.rows_g, dyg, plane, T(0), dcol.data(),
                         plane);
        }
        col2im_add(p.g, dcol.data(), dxn + grp * p.cin_g * p.g.in_plane());
      }
    }
  });
}

#define XGRAD_INSTANTIATE(T) \
  template void conv2d_backward_input<T>(const Conv2dShape&, const T*, const T*, T*);
XGRAD_INSTANTIATE(float)
XGRAD_INSTANTIATE(double)
#undef XGRAD_INSTANTIATE

}  // namespace xgrad::kernels
