// 2-D max pooling over NCHW batches, each (n, c) plane on its own.
//   forward:  y[n][c][i][j] = max over the window (i·Sh − Ph + p, j·Sw − Pw + q),
//             p < KH, q < KW, of x[n][c][...]; the padding holds −∞ (never the max)
//   backward: dx[n][c][a] = Σ of dy[n][c][i][j] over the outputs whose argmax is a
//             (overlapping windows may share one)   saves the argmax of every output
//   shapes:   x (N, C, H, W) -> y (N, C, OH, OW), OH = ⌊(H + 2Ph − KH)/Sh⌋ + 1, OW likewise
// Ties go to the first maximum in row-major window order; a NaN in a window is its max.
// Errors: ValueError for a zero kernel or a padding above half the kernel (every window then
// holds a real element); ShapeError for a non-4-D input or an empty output.
// Planes are split across threads; each output and each plane's gradient is one task's.
#pragma once

#include "framework/tensor.h"
#include "ops/conv_options.h"

namespace xgrad {

Tensor max_pool2d(const Tensor& x, const Pool2dOptions& options);

}  // namespace xgrad
