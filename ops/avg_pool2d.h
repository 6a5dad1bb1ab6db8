// 2-D average pooling over NCHW batches, each (n, c) plane on its own.
//   forward:  y[n][c][i][j] = (1 / (KH·KW)) · Σ over the window (i·Sh − Ph + p, j·Sw − Pw + q),
//             p < KH, q < KW, of x[n][c][...], the padding counting as zeros
//   backward: dx[n][c][a] = Σ of dy[n][c][i][j] / (KH·KW) over the windows holding a
//             saves nothing (the geometry only)
//   shapes:   x (N, C, H, W) -> y (N, C, OH, OW), OH = ⌊(H + 2Ph − KH)/Sh⌋ + 1, OW likewise
// The divisor is always KH·KW, padding included (PyTorch's default count_include_pad=true):
// the op stays one fixed linear map, and a window over the border averages in zeros.
// Errors: ValueError for a zero kernel or a padding above half the kernel; ShapeError for a
// non-4-D input or an empty output.
// Planes are split across threads; each output and each plane's gradient is one task's.
#pragma once

#include "framework/tensor.h"
#include "ops/conv_options.h"

namespace xgrad {

Tensor avg_pool2d(const Tensor& x, const Pool2dOptions& options);

}  // namespace xgrad
