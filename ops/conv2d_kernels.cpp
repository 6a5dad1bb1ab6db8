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
  SlotList slots;
  if (p.implicit) {
    for (std::size_t grp = 0; grp < s.groups; ++grp) {
      packed.push_back(pack_rows(w + grp * p.cout_g * p.rows_g, p.cout_g, p.rows_g, p.rows_g, 1));
    }
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
                    yn + grp * p.cout_g * p.out_plane, p.out_plane);
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
void conv2d_backward_input(const Conv2dShape& s, const T* w, const T* dy, T* dx) {
  const Plan<T> p(s);
  parallel_for(0, s.batch, image_grain(s.batch), [&](std::size_t n0, std::size_t n1) {
    std::vector<T> dcol(p.rows_g * p.out_plane);
    for (std::size_t n = n0; n < n1; ++n) {
      T* dxn = dx + n * p.x_image();
      std::fill_n(dxn, p.x_image(), T(0));
      for (std::size_t grp = 0; grp < s.groups; ++grp) {
        // dcol = W_gᵀ · dY_g, then scattered back onto the image
        gemm_serial<T>(true, false, p.rows_g, p.out_plane, p.cout_g, T(1),
                       w + grp * p.cout_g * p.rows_g, p.rows_g,
                       dy + n * p.y_image() + grp * p.cout_g * p.out_plane, p.out_plane, T(0),
                       dcol.data(), p.out_plane);
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
