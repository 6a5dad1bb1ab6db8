// 2-D convolution (cross-correlation, as in every DL framework) over NCHW batches.  (L16)
//   forward:  y[n][o][i][j] = b[o] + Σ_{c,p,q} W[o][c][p][q] ·
//                             x[n][g·Cin/G + c][i·Sh − Ph + p·Dh][j·Sw − Pw + q·Dw]
//             (x is 0 outside the image; g = o / (Cout/G) is o's group)
//   backward: dx = the adjoint: col2im(Wᵀ · dY) per image and group
//             dW[o][c][p][q] = Σ_{n,i,j} dy[n][o][i][j] · x[n][...same index...]
//               (shared weights: the sum over every patch position, L16)
//             db[o] = Σ_{n,i,j} dy[n][o][i][j]            saves nothing: reads x, W
//   shapes:   x (N, Cin, H, W), W (Cout, Cin/G, KH, KW), b (Cout) or undefined
//             -> y (N, Cout, OH, OW), OH = ⌊(H + 2Ph − Dh(KH−1) − 1)/Sh⌋ + 1, OW likewise
//   parameters: Cout·(Cin/G)·KH·KW + Cout, whatever the image size
// Errors (ShapeError): x or W not 4-D, Cin ≠ W.shape[1]·G, Cout not divisible by G, a bias
// that is not (Cout), an empty output; ValueError for a zero stride, dilation or groups.
//
// Kernels (Note [Slot GEMM] in ops/conv_kernels.h): stride-1 convolutions whose output rows
// hold at least one 32-byte vector (8 floats, 4 doubles) read the image in place (copied
// into a per-task buffer with zero borders when P > 0), and their input gradient scatters
// Wᵀ · dY straight onto the image. Other shapes use im2col + OpenBLAS for y and dW, and
// col2im(Wᵀ · dY) for dx (Wᵀ · dY by the slot kernel, or by OpenBLAS when an output plane
// is narrower than a vector). y and dx are split over images; dW and db over fixed chunks
// of images whose partial sums are added in chunk order. Chunks depend on the shapes only:
// results are bit-identical for any thread count, and no two tasks write the same element.
#pragma once

#include <cstddef>

#include "framework/tensor.h"
#include "ops/kernels/conv_geometry.h"

namespace xgrad {

struct Conv2dOptions {
  Size2 stride{1, 1}, padding{0, 0}, dilation{1, 1};  // (height, width)
  std::size_t groups = 1;

  Conv2dOptions() = default;
  // One value for both axes, e.g. Conv2dOptions(2, 1) = stride 2, padding 1.
  explicit Conv2dOptions(std::size_t stride, std::size_t padding = 0, std::size_t dilation = 1,
                         std::size_t groups = 1)
      : stride{stride, stride},
        padding{padding, padding},
        dilation{dilation, dilation},
        groups(groups) {}
  // Per axis (height, width), e.g. Conv2dOptions::axes({2, 1}, {0, 1}).
  static Conv2dOptions axes(Size2 stride, Size2 padding = {0, 0}, Size2 dilation = {1, 1},
                            std::size_t groups = 1) {
    Conv2dOptions o;
    o.stride = stride;
    o.padding = padding;
    o.dilation = dilation;
    o.groups = groups;
    return o;
  }
};

// bias may be an undefined Tensor (no bias).
Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor(),
              const Conv2dOptions& options = {});

namespace kernels {

// Sizes of one conv2d call; window.channels is Cin / groups (one group's channels).
struct Conv2dShape {
  std::size_t batch = 0, in_channels = 0, out_channels = 0, groups = 1;
  WindowGeometry window;
};

// y (N, Cout, OH, OW) = conv(x, w) + b; b may be nullptr.
template <class T>
void conv2d_forward(const Conv2dShape& s, const T* x, const T* w, const T* b, T* y);
// dx (N, Cin, H, W) = the input gradient for dy.
template <class T>
void conv2d_backward_input(const Conv2dShape& s, const T* w, const T* dy, T* dx);
// dw (Cout, Cin/G, KH, KW) and db (Cout) = the parameter gradients; either may be nullptr.
template <class T>
void conv2d_backward_params(const Conv2dShape& s, const T* x, const T* dy, T* dw, T* db);

}  // namespace kernels
}  // namespace xgrad
