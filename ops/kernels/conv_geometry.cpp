#include "ops/kernels/conv_geometry.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "framework/error.h"

namespace xgrad {

std::size_t conv_output_size(std::size_t in, std::size_t kernel, std::size_t stride,
                             std::size_t padding, std::size_t dilation) {
  const std::size_t span = dilation * (kernel - 1) + 1;  // extent of the dilated window
  if (kernel == 0 || in + 2 * padding < span) return 0;
  return (in + 2 * padding - span) / stride + 1;
}

WindowGeometry make_window_geometry(std::size_t channels, std::size_t in_h, std::size_t in_w,
                                    Size2 kernel, Size2 stride, Size2 padding, Size2 dilation) {
  WindowGeometry g;
  g.channels = channels;
  g.in_h = in_h;
  g.in_w = in_w;
  g.kernel = kernel;
  g.stride = stride;
  g.padding = padding;
  g.dilation = dilation;
  g.out_h = conv_output_size(in_h, kernel[0], stride[0], padding[0], dilation[0]);
  g.out_w = conv_output_size(in_w, kernel[1], stride[1], padding[1], dilation[1]);
  return g;
}

WindowGeometry pool_geometry(const char* op, const Shape& input, const Pool2dOptions& o) {
  const Size2 stride = o.effective_stride();
  const std::string k = std::to_string(o.kernel[0]) + "x" + std::to_string(o.kernel[1]);
  const std::string p = std::to_string(o.padding[0]) + "x" + std::to_string(o.padding[1]);
  if (o.kernel[0] == 0 || o.kernel[1] == 0) {
    throw ValueError(std::string(op) + ": kernel must be positive: kernel " + k);
  }
  if (2 * o.padding[0] > o.kernel[0] || 2 * o.padding[1] > o.kernel[1]) {
    throw ValueError(std::string(op) + ": padding must be at most half the kernel: kernel " + k +
                     ", padding " + p);
  }
  if (input.size() != 4) throw_shape_error(op, "input must be 4-D (N, C, H, W)", "input", input);
  WindowGeometry g =
      make_window_geometry(1, input[2], input[3], o.kernel, stride, o.padding, {1, 1});
  if (input[0] == 0 || input[1] == 0 || g.out_h == 0 || g.out_w == 0) {
    throw_shape_error(op,
                      "empty output (kernel " + k + ", stride " + std::to_string(stride[0]) + "x" +
                          std::to_string(stride[1]) + ", padding " + p + ")",
                      "input", input);
  }
  return g;
}

namespace kernels {

namespace {

// The outputs [lo, hi) along one axis whose tap k reads inside [0, in):
// in-coordinate o·S + (k·D − P) must lie in [0, in).
struct Range {
  std::size_t lo, hi;
};
Range valid_outputs(std::size_t out, std::size_t in, std::size_t k, std::size_t stride,
                    std::size_t padding, std::size_t dilation) {
  const std::ptrdiff_t base = std::ptrdiff_t(k * dilation) - std::ptrdiff_t(padding);
  const std::ptrdiff_t s = std::ptrdiff_t(stride);
  const std::ptrdiff_t lo = base >= 0 ? 0 : (-base + s - 1) / s;
  const std::ptrdiff_t room = std::ptrdiff_t(in) - base;  // o·S < room
  const std::ptrdiff_t hi = room <= 0 ? 0 : std::min<std::ptrdiff_t>(out, (room + s - 1) / s);
  return {std::size_t(std::min(lo, hi)), std::size_t(hi)};
}

// Calls f(kh, kw, oh, ih, rw, iw0) for every segment of a col row that reads real input:
// tap (kh, kw), output row oh reading input row ih, outputs [rw.lo, rw.hi) of that row
// reading input columns iw0 + (ow − rw.lo)·S. Taps that fall in the padding are skipped.
template <class F>
void for_each_segment(const WindowGeometry& g, F f) {
  for (std::size_t kh = 0; kh < g.kernel[0]; ++kh) {
    const Range rh = valid_outputs(g.out_h, g.in_h, kh, g.stride[0], g.padding[0], g.dilation[0]);
    for (std::size_t kw = 0; kw < g.kernel[1]; ++kw) {
      const Range rw = valid_outputs(g.out_w, g.in_w, kw, g.stride[1], g.padding[1], g.dilation[1]);
      if (rw.lo == rw.hi) continue;
      const std::size_t iw0 = rw.lo * g.stride[1] + kw * g.dilation[1] - g.padding[1];
      for (std::size_t oh = rh.lo; oh < rh.hi; ++oh) {
        const std::size_t ih = oh * g.stride[0] + kh * g.dilation[0] - g.padding[0];
        f(kh, kw, oh, ih, rw, iw0);
      }
    }
  }
}

}  // namespace

template <class T>
void im2col(const WindowGeometry& g, const T* x, T* col) {
  const std::size_t plane = g.out_plane(), taps = g.taps(), sw = g.stride[1];
  std::fill_n(col, g.col_rows() * plane, T(0));  // the padding reads zeros
  for (std::size_t c = 0; c < g.channels; ++c) {
    const T* xc = x + c * g.in_plane();
    T* colc = col + c * taps * plane;
    for_each_segment(g, [&](std::size_t kh, std::size_t kw, std::size_t oh, std::size_t ih,
                            Range rw, std::size_t iw0) {
      T* dst = colc + (kh * g.kernel[1] + kw) * plane + oh * g.out_w;
      const T* src = xc + ih * g.in_w + iw0;
      if (sw == 1) {
        std::memcpy(dst + rw.lo, src, (rw.hi - rw.lo) * sizeof(T));
      } else {
        for (std::size_t ow = rw.lo; ow < rw.hi; ++ow) dst[ow] = src[(ow - rw.lo) * sw];
      }
    });
  }
}

template <class T>
void col2im_add(const WindowGeometry& g, const T* col, T* dx) {
  const std::size_t plane = g.out_plane(), taps = g.taps(), sw = g.stride[1];
  for (std::size_t c = 0; c < g.channels; ++c) {
    T* dxc = dx + c * g.in_plane();
    const T* colc = col + c * taps * plane;
    for_each_segment(g, [&](std::size_t kh, std::size_t kw, std::size_t oh, std::size_t ih,
                            Range rw, std::size_t iw0) {
      const T* src = colc + (kh * g.kernel[1] + kw) * plane + oh * g.out_w;
      T* dst = dxc + ih * g.in_w + iw0;
      if (sw == 1) {  // contiguous: vectorised
        for (std::size_t ow = rw.lo; ow < rw.hi; ++ow) dst[ow - rw.lo] += src[ow];
      } else {
        for (std::size_t ow = rw.lo; ow < rw.hi; ++ow) dst[(ow - rw.lo) * sw] += src[ow];
      }
    });
  }
}

template void im2col<float>(const WindowGeometry&, const float*, float*);
template void im2col<double>(const WindowGeometry&, const double*, double*);
template void col2im_add<float>(const WindowGeometry&, const float*, float*);
template void col2im_add<double>(const WindowGeometry&, const double*, double*);

}  // namespace kernels
}  // namespace xgrad
