// The conv2d forward and parameter-gradient drivers (ops/conv2d.h): split work over images
// and fixed chunks of images, and call the slot kernels (ops/kernels/conv_kernels.h) or im2col +
// OpenBLAS on each.
#include <algorithm>
#include <string>
#include <type_traits>
#include <vector>

#include "framework/parallel.h"
#include "ops/kernels/conv2d_plan.h"
#include "ops/kernels/conv_avx512.h"
#include "ops/kernels/cpu_isa.h"
#include "ops/kernels/gemm.h"

namespace xgrad::kernels {

using conv_detail::image_grain;
using conv_detail::param_chunk;
using conv_detail::Plan;

namespace {

// Forward on AVX-512 channel vectors (Note [Channel vectors], ops/kernels/conv_avx512.h).
void forward_avx512(const Plan<float>& p, const float* x, const float* w, const float* b,
                    float* y) {
  const Conv2dShape& s = p.s;
  std::vector<avx512::PackedWt> wt;
  for (std::size_t grp = 0; grp < s.groups; ++grp) {
    wt.push_back(avx512::pack_wt(w + grp * p.cout_g * p.rows_g, p.cout_g, p.rows_g));
  }
  parallel_for(0, s.batch, image_grain(s.batch), [&](std::size_t n0, std::size_t n1) {
    std::vector<float> buf;
    for (std::size_t n = n0; n < n1; ++n) {
      const float* src = p.source(x + n * p.x_image(), 1, buf);
      for (std::size_t grp = 0; grp < s.groups; ++grp) {
        avx512::forward_rows(wt[grp], b != nullptr ? b + grp * p.cout_g : nullptr,
                             src + grp * p.cin_g * p.hp * p.wp, p.wp, p.off.data(), p.g.out_h,
                             p.g.out_w, y + n * p.y_image() + grp * p.cout_g * p.out_plane);
      }
    }
  });
}

// dW (in Wᵀ order, per chunk of images) on AVX-512 channel vectors.
void weight_grad_avx512(const Plan<float>& p, const float* x, const float* dy, std::size_t n0,
                        std::size_t count, std::vector<float>& buf, float* part_wt) {
  const Conv2dShape& s = p.s;
  const WindowGeometry& g = p.g;
  std::vector<std::ptrdiff_t> row_off, pix;
  for (std::size_t r = 0; r < p.cin_g * g.kernel[0]; ++r) {
    row_off.push_back(std::ptrdiff_t((r / g.kernel[0] * p.hp + r % g.kernel[0]) * p.wp));
  }
  for (std::size_t q = 0; q < p.out_plane; ++q) {
    pix.push_back(std::ptrdiff_t(q / g.out_w * p.wp + q % g.out_w));
  }
  const float* src = p.source(x + n0 * p.x_image(), count, buf);
  const std::size_t image = p.padded ? p.src_image() : p.x_image();
  std::vector<float> dyt;
  for (std::size_t i = 0; i < count; ++i) {
    for (std::size_t grp = 0; grp < s.groups; ++grp) {
      avx512::transpose_dy(dy + (n0 + i) * p.y_image() + grp * p.cout_g * p.out_plane, p.cout_g,
                           p.out_plane, dyt);
      avx512::weight_rows(src + i * image + grp * p.cin_g * p.hp * p.wp, row_off.data(),
                          row_off.size(), g.kernel[1], pix.data(), pix.size(), dyt.data(), p.cout_g,
                          part_wt + grp * p.cout_g * p.rows_g);
    }
  }
}

// AVX-512 channel vectors pay where a tile's inner dimension is long (the transposed store
// of a forward tile is amortised over 8·depth multiply-adds) and whole vectors of output
// channels exist; stride 1, kernel rows of at most 7 taps, no dilation for dW.
bool channel_vectors(const Plan<float>& p) {
  return active_isa() == Isa::kAvx512 && p.implicit && p.g.out_w >= 8 && p.cout_g % 16 == 0 &&
         p.rows_g >= 64 && p.g.kernel[1] <= 7 && p.g.dilation[0] == 1 && p.g.dilation[1] == 1;
}
template <class T>
bool channel_vectors(const Plan<T>&) {
  return false;
}

// Else, AVX-512 vectors of 16 output pixels where rows hold at least 16 (Cin = 1 layers:
// a short inner dimension, few channels).
template <class T>
bool pixel_vectors(const Plan<T>& p) {
  return std::is_same_v<T, float> && !channel_vectors(p) && active_isa() == Isa::kAvx512 &&
         p.implicit && p.g.out_w >= 16 && p.out_plane % 16 == 0 && p.cout_g >= 4;
}

void forward_pixels(const Plan<float>& p, const float* x, const float* w, const float* b,
                    float* y) {
  const Conv2dShape& s = p.s;
  const avx512::PixelSlots slots = avx512::pixel_slots(p.g.out_h, p.g.out_w, p.wp);
  parallel_for(0, s.batch, image_grain(s.batch), [&](std::size_t n0, std::size_t n1) {
    std::vector<float> buf;
    for (std::size_t n = n0; n < n1; ++n) {
      const float* src = p.source(x + n * p.x_image(), 1, buf);
      for (std::size_t grp = 0; grp < s.groups; ++grp) {
        avx512::pixel_forward(w + grp * p.cout_g * p.rows_g, p.cout_g, p.rows_g,
                              b != nullptr ? b + grp * p.cout_g : nullptr,
                              src + grp * p.cin_g * p.hp * p.wp, p.off.data(), slots, p.out_plane,
                              y + n * p.y_image() + grp * p.cout_g * p.out_plane);
      }
    }
  });
}

}  // namespace

template <class T>
void conv2d_forward(const Conv2dShape& s, const T* x, const T* w, const T* b, T* y) {
  const Plan<T> p(s);
  if constexpr (std::is_same_v<T, float>) {
    if (channel_vectors(p)) return forward_avx512(p, x, w, b, y);
    if (pixel_vectors(p)) return forward_pixels(p, x, w, b, y);
  }
  const std::size_t L = kLanes<T>, ow = p.g.out_w;
  std::vector<PackedRows<T>> packed;
  std::vector<std::ptrdiff_t> row_off;  // output channel m of a group at m·OH·OW
  SlotList slots;
  if (p.implicit) {
    for (std::size_t grp = 0; grp < s.groups; ++grp) {
      packed.push_back(pack_rows(w + grp * p.cout_g * p.rows_g, p.cout_g, p.rows_g, p.rows_g, 1));
    }
    for (std::size_t m = 0; m < p.cout_g; ++m) row_off.push_back(std::ptrdiff_t(m * p.out_plane));
    for (std::size_t oh = 0; oh < p.g.out_h; ++oh) {
      for (std::size_t ow0 = 0;; ow0 += L) {  // the last slot ends at OW (may overlap)
        const std::size_t o = std::min(ow0, ow - L);
        slots.add(std::ptrdiff_t(oh * p.wp + o), std::ptrdiff_t(oh * ow + o));
        if (o == ow - L) break;
      }
    }
  }
  parallel_for(0, s.batch, image_grain(s.batch), [&](std::size_t n0, std::size_t n1) {
    std::vector<T> buf;
    for (std::size_t n = n0; n < n1; ++n) {
      T* yn = y + n * p.y_image();
      if (p.implicit) {
        const T* src = p.source(x + n * p.x_image(), 1, buf);
        for (std::size_t grp = 0; grp < s.groups; ++grp) {
          slot_gemm(packed[grp], b != nullptr ? b + grp * p.cout_g : nullptr,
                    src + grp * p.cin_g * p.hp * p.wp, p.off.data(), slots,
                    yn + grp * p.cout_g * p.out_plane, row_off.data(), false);
        }
        continue;
      }
      buf.resize(p.rows_g * p.out_plane);
      for (std::size_t grp = 0; grp < s.groups; ++grp) {
        im2col(p.g, x + n * p.x_image() + grp * p.cin_g * p.g.in_plane(), buf.data());
        T* yg = yn + grp * p.cout_g * p.out_plane;
        for (std::size_t o = 0; b != nullptr && o < p.cout_g; ++o) {
          std::fill_n(yg + o * p.out_plane, p.out_plane, b[grp * p.cout_g + o]);
        }
        gemm_serial<T>(false, false, p.cout_g, p.out_plane, p.rows_g, T(1),
                       w + grp * p.cout_g * p.rows_g, p.rows_g, buf.data(), p.out_plane,
                       b != nullptr ? T(1) : T(0), yg, p.out_plane);
      }
    }
  });
}

template <class T>
void conv2d_backward_params(const Conv2dShape& s, const T* x, const T* dy, T* dw, T* db) {
  const Plan<T> p(s);
  const std::size_t L = kLanes<T>, ow = p.g.out_w;
  const std::size_t w_size = s.out_channels * p.rows_g;
  const std::size_t chunk = param_chunk(s.batch, p.out_plane, L);
  const std::size_t chunks = (s.batch + chunk - 1) / chunk;
  std::vector<T> part_w(dw != nullptr ? chunks * w_size : 0, T(0));
  std::vector<T> part_b(db != nullptr ? chunks * s.out_channels : 0, T(0));
  const bool transposed = channel_vectors(p);   // part_w holds Wᵀ of each group
  std::vector<avx512::PixelSlots> pixel_slots;  // one, when the pixel-vector kernels run
  if (pixel_vectors(p)) pixel_slots.push_back(avx512::pixel_slots(p.g.out_h, p.g.out_w, p.wp));
  parallel_for(0, chunks, 1, [&](std::size_t c0, std::size_t c1) {
    std::vector<T> buf;
    for (std::size_t c = c0; c < c1; ++c) {
      const std::size_t n0 = c * chunk, count = std::min(chunk, s.batch - n0);
      const T* dyc = dy + n0 * p.y_image();
      if (db != nullptr) {
        for (std::size_t i = 0; i < count; ++i) {
          for (std::size_t o = 0; o < s.out_channels; ++o) {
            part_b[c * s.out_channels + o] +=
                sum_fixed_order(dyc + i * p.y_image() + o * p.out_plane, p.out_plane);
          }
        }
      }
      if (dw == nullptr) continue;
      T* pw = part_w.data() + c * w_size;
      if constexpr (std::is_same_v<T, float>) {
        if (transposed) {
          weight_grad_avx512(p, x, dy, n0, count, buf, pw);
          continue;
        }
        if (!pixel_slots.empty()) {
          const float* src = p.source(x + n0 * p.x_image(), count, buf);
          const std::size_t image = p.padded ? p.src_image() : p.x_image();
          for (std::size_t grp = 0; grp < s.groups; ++grp) {
            avx512::pixel_weight(dyc + grp * p.cout_g * p.out_plane, p.cout_g, p.out_plane,
                                 p.y_image(), src + grp * p.cin_g * p.hp * p.wp, image, count,
                                 p.off.data(), p.rows_g, pixel_slots[0],
                                 pw + grp * p.cout_g * p.rows_g);
          }
          continue;
        }
      }
      if (p.implicit) {
        const T* src = p.source(x + n0 * p.x_image(), count, buf);
        const std::size_t image = p.padded ? p.src_image() : p.x_image();
        SlotList slots;  // vectors that do not overlap, then single columns
        for (std::size_t i = 0; i < count; ++i) {
          for (std::size_t oh = 0; oh < p.g.out_h; ++oh) {
            const std::ptrdiff_t sb = std::ptrdiff_t(i * image + oh * p.wp);
            const std::ptrdiff_t db0 = std::ptrdiff_t(i * p.y_image() + oh * ow);
            std::size_t o = 0;
            for (; o + L <= ow; o += L) slots.add(sb + std::ptrdiff_t(o), db0 + std::ptrdiff_t(o));
            for (; o < ow; ++o) slots.add_tail(sb + std::ptrdiff_t(o), db0 + std::ptrdiff_t(o));
          }
        }
        for (std::size_t grp = 0; grp < s.groups; ++grp) {
          slot_gemm_bt(dyc + grp * p.cout_g * p.out_plane, p.cout_g, p.out_plane,
                       src + grp * p.cin_g * p.hp * p.wp, p.off.data(), p.rows_g, slots,
                       pw + grp * p.cout_g * p.rows_g);
        }
        continue;
      }
      buf.resize(p.rows_g * p.out_plane);
      for (std::size_t i = 0; i < count; ++i) {
        for (std::size_t grp = 0; grp < s.groups; ++grp) {
          im2col(p.g, x + (n0 + i) * p.x_image() + grp * p.cin_g * p.g.in_plane(), buf.data());
          // dW_g += dY_g · colᵀ
          gemm_serial<T>(false, true, p.cout_g, p.rows_g, p.out_plane, T(1),
                         dyc + i * p.y_image() + grp * p.cout_g * p.out_plane, p.out_plane,
                         buf.data(), p.out_plane, T(1), pw + grp * p.cout_g * p.rows_g, p.rows_g);
        }
      }
    }
  });
  // Partial sums in chunk order, each element 0 + chunk 0 + chunk 1 + ...: the same bits
  // whichever task computed each chunk. A chunk at a time over contiguous elements (the
  // adds vectorise), elements split between threads: one element at a time across the
  // chunks, serially, was 3% of the main job's CNN step. Wᵀ partials (rows_g × cout_g per
  // group) then go back to W's layout (cout_g × rows_g).
  if (dw != nullptr) {
    std::vector<T> wt(transposed ? w_size : 0);
    T* sum = transposed ? wt.data() : dw;
    parallel_for(0, w_size, kElementwiseGrain, [&](std::size_t j0, std::size_t j1) {
      std::fill(sum + j0, sum + j1, T(0));
      for (std::size_t c = 0; c < chunks; ++c) {
        const T* part = part_w.data() + c * w_size;
        for (std::size_t j = j0; j < j1; ++j) sum[j] += part[j];
      }
    });
    const std::size_t rows = p.rows_g, cols = w_size / rows / s.groups;
    for (std::size_t grp = 0; transposed && grp < s.groups; ++grp) {
      for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t q = 0; q < cols; ++q) {
          dw[(grp * cols + q) * rows + r] = wt[(grp * rows + r) * cols + q];
        }
      }
    }
  }
  for (std::size_t o = 0; db != nullptr && o < s.out_channels; ++o) {
    T t = T(0);
    for (std::size_t c = 0; c < chunks; ++c) t += part_b[c * s.out_channels + o];
    db[o] = t;
  }
}

const char* conv2d_path() {
  static const std::string name =
      std::string(active_isa() == Isa::kAvx512 ? "avx512 channel/pixel vectors + " : "") +
      "slot kernels 256-bit, im2col + " + sgemm_path();
  return name.c_str();
}

#define XGRAD_INSTANTIATE(T)                                                             \
  template void conv2d_forward<T>(const Conv2dShape&, const T*, const T*, const T*, T*); \
  template void conv2d_backward_params<T>(const Conv2dShape&, const T*, const T*, T*, T*);
XGRAD_INSTANTIATE(float)
XGRAD_INSTANTIATE(double)
#undef XGRAD_INSTANTIATE

}  // namespace xgrad::kernels
