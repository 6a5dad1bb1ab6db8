// Sliding-window geometry shared by conv2d and the pooling ops (L16).
//
//   output size, per axis:  O = ⌊(I + 2P − D(K−1) − 1) / S⌋ + 1
//                           (0 when I + 2P < D(K−1) + 1: the window does not fit)
//   window tap (kh, kw) of output (oh, ow) reads input
//                           (oh·S − P + kh·D, ow·S − P + kw·D), zero outside the image
//   im2col:  col[(c, kh, kw)][(oh, ow)] = that input value (0 in the padding)
//   col2im:  the adjoint: dx[c][ih][iw] += col[...] for every tap that reads (ih, iw)
// Layouts are row-major: an image is (C, H, W), col is (C·KH·KW, OH·OW).
// Thread safety: pure functions; each call writes only its own output.
#pragma once

#include <cstddef>

#include "framework/shape.h"
#include "ops/conv_options.h"

namespace xgrad {

// Output size along one axis; 0 if the (dilated) window does not fit the padded input.
// REQUIRES: stride >= 1, dilation >= 1.
std::size_t conv_output_size(std::size_t in, std::size_t kernel, std::size_t stride,
                             std::size_t padding, std::size_t dilation = 1);

// The window geometry of one image: `channels` planes of in_h × in_w.
struct WindowGeometry {
  std::size_t channels = 0, in_h = 0, in_w = 0;
  Size2 kernel{1, 1}, stride{1, 1}, padding{0, 0}, dilation{1, 1};
  std::size_t out_h = 0, out_w = 0;  // from conv_output_size

  std::size_t in_plane() const { return in_h * in_w; }
  std::size_t out_plane() const { return out_h * out_w; }
  std::size_t taps() const { return kernel[0] * kernel[1]; }
  std::size_t col_rows() const { return channels * taps(); }
};

// Fills out_h and out_w from the other fields.
WindowGeometry make_window_geometry(std::size_t channels, std::size_t in_h, std::size_t in_w,
                                    Size2 kernel, Size2 stride, Size2 padding, Size2 dilation);

// The window geometry of a pooling op on a 4-D input (N, C, H, W), per (n, c) plane
// (channels = 1). Throws ValueError for a zero kernel or a padding above half the kernel
// (a window must hold one real element), ShapeError for a non-4-D input or an empty output:
//   "<op>: empty output (kernel 3x3, stride 3x3, padding 0x0): input (1, 1, 2, 2)"
WindowGeometry pool_geometry(const char* op, const Shape& input, const Pool2dOptions& options);

namespace kernels {

// col (g.col_rows() × g.out_plane()) from one image x (g.channels × in_h × in_w).
template <class T>
void im2col(const WindowGeometry& g, const T* x, T* col);

// dx (g.channels × in_h × in_w) += the adjoint of im2col applied to col.
template <class T>
void col2im_add(const WindowGeometry& g, const T* col, T* dx);

}  // namespace kernels
}  // namespace xgrad
