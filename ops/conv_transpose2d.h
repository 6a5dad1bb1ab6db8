// 2-D transposed convolution over NCHW batches (PyTorch's F.conv_transpose2d):
// the adjoint of conv2d, which upsamples (the decoder half of an autoencoder).
//   forward:  y = conv2d_input_grad(x, W, y's shape): each input pixel scatters
//             W[c] · x[n][c][i][j] onto the output window at (i·Sh − Ph, j·Sw − Pw)
//             (the input gradient of the conv2d that maps y's shape to x's), plus b[o]
//   backward: dx = conv2d(dy, W), dW = conv2d_weight_grad(dy, x, W.shape),
//             db = Σ_{n,i,j} dy: conv2d_input_grad's own gradients, so this op is
//             a composite of existing ops (no backward of its own), differentiable
//             to any order.                         saves nothing: reads x, W
//   shapes:   x (N, Cin, H, W), W (Cin, Cout/G, KH, KW) (PyTorch's layout), b (Cout)
//             -> y (N, Cout, OH, OW), OH = (H − 1)·Sh − 2Ph + Dh·(KH − 1) + OPh + 1
//             (OW likewise); Cin divisible by G.
//   options:  stride, padding, dilation, groups as for conv2d (Conv2dOptions);
//             output_padding (OPh, OPw) < stride (a stricter bound than PyTorch's
//             "smaller than stride or dilation": the extra rows come from the stride).
// Errors name conv_transpose2d: ShapeError for ranks, channel mismatches and an
// empty output; ValueError for output_padding >= stride.
#pragma once

#include "framework/tensor.h"
#include "ops/conv_options.h"

namespace xgrad {

Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor(),
                        const Conv2dOptions& options = {}, Size2 output_padding = {0, 0});

}  // namespace xgrad
