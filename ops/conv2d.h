// 2-D convolution (cross-correlation, as in every DL framework) over NCHW batches.  (L16)
//   forward:  y[n][o][i][j] = b[o] + Σ_{c,p,q} W[o][c][p][q] ·
//                             x[n][g·Cin/G + c][i·Sh − Ph + p·Dh][j·Sw − Pw + q·Dw]
//             (x is 0 outside the image; g = o / (Cout/G) is o's group)
//   backward: dx = the adjoint: col2im(Wᵀ · dY) per image and group
//             dW[o][c][p][q] = Σ_{n,i,j} dy[n][o][i][j] · x[n][...same index...]
//               (shared weights: the sum over every patch position, L16)
//             db[o] = Σ_{n,i,j} dy[n][o][i][j]            saves nothing: reads x, W
//             (dx, dW and db are the ops conv2d_input_grad, conv2d_weight_grad and
//             conv2d_bias_grad below; dW and db come from one pass over dy)
//   shapes:   x (N, Cin, H, W), W (Cout, Cin/G, KH, KW), b (Cout) or undefined
//             -> y (N, Cout, OH, OW), OH = ⌊(H + 2Ph − Dh(KH−1) − 1)/Sh⌋ + 1, OW likewise
//   parameters: Cout·(Cin/G)·KH·KW + Cout, whatever the image size
// Errors (ShapeError): x or W not 4-D, Cin ≠ W.shape[1]·G, Cout not divisible by G, a bias
// that is not (Cout), an empty output; ValueError for a zero stride, dilation or groups.
//
// Kernels (Note [Slot GEMM] in ops/kernels/conv_kernels.h): stride-1 convolutions whose output rows
// hold at least one 32-byte vector (8 floats, 4 doubles) read the image in place (copied
// into a per-task buffer with zero borders when P > 0), and their input gradient scatters
// Wᵀ · dY straight onto the image. Other shapes use im2col + OpenBLAS for y and dW, and
// col2im(Wᵀ · dY) for dx (Wᵀ · dY by the slot kernel, or by OpenBLAS when an output plane
// is narrower than a vector). y and dx are split over images; dW and db over fixed chunks
// of images whose partial sums are added in chunk order. Chunks depend on the shapes only:
// results are bit-identical for any thread count, and no two tasks write the same element.
#pragma once

#include <cstddef>
#include <utility>

#include "framework/tensor.h"
#include "ops/conv_options.h"

namespace xgrad {

// bias may be an undefined Tensor (no bias).
Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor(),
              const Conv2dOptions& options = {});

// conv2d's gradients as ops of their own, each differentiable again (both
// are bilinear: <g, input_grad(dy, W)> = <dy, conv2d(g, W)> and
// <G, weight_grad(x, dy)> = <dy, conv2d(x, G)>, which gives their gradients).
// dy has conv2d's output shape for an input of `input_shape` (resp. x).
Tensor conv2d_input_grad(const Tensor& dy, const Tensor& weight, const Shape& input_shape,
                         const Conv2dOptions& options = {});
Tensor conv2d_weight_grad(const Tensor& x, const Tensor& dy, const Shape& weight_shape,
                          const Conv2dOptions& options = {});
// (dW, db) in one pass over dy (what conv2d's backward runs when both need a gradient):
// dW is conv2d_weight_grad's, db[o] = Σ_{n,i,j} dy[n][o][i][j] (op "conv2d_bias_grad",
// linear in dy), summed while each chunk of dy is in cache for dW.
std::pair<Tensor, Tensor> conv2d_weight_bias_grad(const Tensor& x, const Tensor& dy,
                                                  const Shape& weight_shape,
                                                  const Conv2dOptions& options = {});

}  // namespace xgrad
