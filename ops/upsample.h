// Nearest-neighbour upsampling of NCHW images by integer factors (PyTorch's
// F.interpolate(x, scale_factor=s, mode="nearest"), i.e. upsample_nearest2d).
//   forward:  y[n][c][i][j] = x[n][c][i / sh][j / sw]       (integer division)
//   backward: dx = upsample_nearest2d_backward(dy, scale): each input pixel sums
//             its sh x sw block of dy (one task per input row: deterministic);
//             linear, its own gradient is upsample_nearest2d(g, scale).
//   shapes:   x (N, C, H, W) -> (N, C, H·sh, W·sw); scale factors >= 1
#pragma once

#include "framework/tensor.h"
#include "ops/conv_options.h"

namespace xgrad {

Tensor upsample_nearest2d(const Tensor& x, Size2 scale_factor);
Tensor upsample_nearest2d(const Tensor& x, std::size_t scale_factor);
Tensor upsample_nearest2d_backward(const Tensor& dy, Size2 scale_factor);

}  // namespace xgrad
