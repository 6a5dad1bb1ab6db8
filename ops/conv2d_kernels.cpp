// The conv2d drivers (ops/conv2d.h): split work over images and chunks of images and
// call the slot kernels (ops/conv_kernels.h) or im2col + OpenBLAS on each.
#include <algorithm>
#include <cstring>
#include <vector>

#include "framework/parallel.h"
#include "ops/conv2d.h"
#include "ops/conv_kernels.h"
#include "ops/gemm.h"

namespace xgrad::kernels {

namespace {

// Per-group sizes and the in-place ("implicit") layout of a stride-1 convolution.
template <class T>
struct Plan {
  const Conv2dShape& s;
  const WindowGeometry& g;
  std::size_t cin_g, cout_g, rows_g, out_plane;  // rows_g = Cin/G · KH · KW
  bool implicit;                                 // stride 1 and output rows of at least one vector
  bool padded;                      // implicit with P > 0: images are copied into a padded buffer
  std::size_t hp, wp;               // (padded) input plane read by the slot kernels
  std::vector<std::ptrdiff_t> off;  // tap offsets (c, kh, kw) inside one group's planes

  explicit Plan(const Conv2dShape& shape)
      : s(shape),
        g(shape.window),
        cin_g(g.channels),
        cout_g(shape.out_channels / shape.groups),
        rows_g(g.col_rows()),
        out_plane(g.out_plane()) {
    implicit = g.stride[0] == 1 && g.stride[1] == 1 && g.out_w >= kLanes<T>;
    padded = implicit && (g.padding[0] > 0 || g.padding[1] > 0);
    hp = g.in_h + 2 * g.padding[0];
    wp = g.in_w + 2 * g.padding[1];
    if (!implicit) return;
    for (std::size_t c = 0; c < cin_g; ++c) {
      for (std::size_t kh = 0; kh < g.kernel[0]; ++kh) {
        for (std::size_t kw = 0; kw < g.kernel[1]; ++kw) {
          off.push_back(std::ptrdiff_t((c * hp + kh * g.dilation[0]) * wp + kw * g.dilation[1]));
        }
      }
    }
  }
  std::size_t src_image() const { return s.in_channels * hp * wp; }
  std::size_t x_image() const { return s.in_channels * g.in_plane(); }
  std::size_t y_image() const { return s.out_channels * out_plane; }

  // The source the slot kernels read for `count` images from x: x itself, or a copy with
  // zero borders in `buf` (its borders are zeroed once, when it is first sized).
  const T* source(const T* x, std::size_t count, std::vector<T>& buf) const {
    if (!padded) return x;
    if (buf.size() < count * src_image()) buf.assign(count * src_image(), T(0));
    for (std::size_t p = 0; p < count * s.in_channels; ++p) {
      const T* from = x + p * g.in_plane();
      T* to = buf.data() + p * hp * wp + g.padding[0] * wp + g.padding[1];
      for (std::size_t h = 0; h < g.in_h; ++h)
        std::memcpy(to + h * wp, from + h * g.in_w, g.in_w * sizeof(T));
    }
    return buf.data();
  }
};

// Images per task for the per-image passes (any split gives the same bits).
std::size_t image_grain(std::size_t batch) {
  return std::max<std::size_t>(1, batch / (4 * max_threads()));
}

// Images per dW/db chunk: a function of the shapes only (Note [Deterministic tiling]).
std::size_t param_chunk(std::size_t batch, std::size_t out_plane, std::size_t lanes) {
  const std::size_t vectors = std::max<std::size_t>(1, out_plane / lanes);
  const std::size_t want = (256 + vectors - 1) / vectors;  // enough slots to amortise a tile
  return std::max<std::size_t>(1, std::min(want, batch / 8));
}

}  // namespace

template <class T>
void conv2d_forward(const Conv2dShape& s, const T* x, const T* w, const T* b, T* y) {
  const Plan<T> p(s);
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

template <class T>
void conv2d_backward_input(const Conv2dShape& s, const T* w, const T* dy, T* dx) {
  const Plan<T> p(s);
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

template <class T>
void conv2d_backward_params(const Conv2dShape& s, const T* x, const T* dy, T* dw, T* db) {
  const Plan<T> p(s);
  const std::size_t L = kLanes<T>, ow = p.g.out_w;
  const std::size_t w_size = s.out_channels * p.rows_g;
  const std::size_t chunk = param_chunk(s.batch, p.out_plane, L);
  const std::size_t chunks = (s.batch + chunk - 1) / chunk;
  std::vector<T> part_w(dw != nullptr ? chunks * w_size : 0, T(0));
  std::vector<T> part_b(db != nullptr ? chunks * s.out_channels : 0, T(0));
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
  // Partial sums in chunk order: the same bits whichever task computed each chunk.
  for (std::size_t j = 0; dw != nullptr && j < w_size; ++j) {
    T t = T(0);
    for (std::size_t c = 0; c < chunks; ++c) t += part_w[c * w_size + j];
    dw[j] = t;
  }
  for (std::size_t o = 0; db != nullptr && o < s.out_channels; ++o) {
    T t = T(0);
    for (std::size_t c = 0; c < chunks; ++c) t += part_b[c * s.out_channels + o];
    db[o] = t;
  }
}

#define XGRAD_INSTANTIATE(T)                                                             \
  template void conv2d_forward<T>(const Conv2dShape&, const T*, const T*, const T*, T*); \
  template void conv2d_backward_input<T>(const Conv2dShape&, const T*, const T*, T*);    \
  template void conv2d_backward_params<T>(const Conv2dShape&, const T*, const T*, T*, T*);
XGRAD_INSTANTIATE(float)
XGRAD_INSTANTIATE(double)
#undef XGRAD_INSTANTIATE

}  // namespace xgrad::kernels
