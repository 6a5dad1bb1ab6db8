// Shared by the conv2d drivers (ops/kernels/conv2d_kernels.cpp, conv2d_input_grad.cpp): the
// per-group sizes of one call, the in-place layout the slot kernels read for stride-1
// convolutions (Note [Slot GEMM], ops/kernels/conv_kernels.h), and how work is split.
// Internal to ops/; not part of the API.
#pragma once

#include <algorithm>
#include <cstring>
#include <vector>

#include "framework/parallel.h"
#include "ops/kernels/conv2d_kernels.h"
#include "ops/kernels/conv_kernels.h"

namespace xgrad::kernels::conv_detail {

// Per-group sizes and the in-place ("implicit") layout of a stride-1 convolution.
template <class T>
struct Plan {
  const Conv2dShape& s;
  const WindowGeometry& g;
  std::size_t cin_g, cout_g, rows_g, out_plane;  // rows_g = Cin/G · KH · KW
  // Stride 1 and output rows of at least one vector: the slot kernels read x in place.
  bool implicit;
  // Implicit with P > 0: images are first copied into a buffer with zero borders.
  bool padded;
  std::size_t hp, wp;               // the (padded) input plane the slot kernels read
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
      for (std::size_t h = 0; h < g.in_h; ++h) {
        std::memcpy(to + h * wp, from + h * g.in_w, g.in_w * sizeof(T));
      }
    }
    return buf.data();
  }
};

// Images per task for the per-image passes (any split gives the same bits).
inline std::size_t image_grain(std::size_t batch) {
  return std::max<std::size_t>(1, batch / (4 * max_threads()));
}

// Images per dW/db chunk: a function of the shapes only (Note [Deterministic tiling]).
inline std::size_t param_chunk(std::size_t batch, std::size_t out_plane, std::size_t lanes) {
  const std::size_t vectors = std::max<std::size_t>(1, out_plane / lanes);
  const std::size_t want = (256 + vectors - 1) / vectors;  // enough slots to amortise a tile
  return std::max<std::size_t>(1, std::min(want, batch / 8));
}

}  // namespace xgrad::kernels::conv_detail
