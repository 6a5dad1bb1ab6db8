// Softmax and log-softmax along one axis.
//   forward:  softmax:     y = exp(x - m) / Σ exp(x - m)
//             log_softmax: y = x - m - log Σ exp(x - m)
//             m = max along the axis, so no exp overflows: finite at ±1000
//   backward: softmax:     dx = softmax_backward(dy, y) = y · (dy - Σ dy·y)       saves y
//             log_softmax: dx = log_softmax_backward(dy, y) = dy - exp(y) · Σ dy
//                          saves y (exp(y) = softmax)
//             (Σ along the axis, per row); both backward ops are differentiable
//             again (their formulas are in softmax.cpp)
//   shapes:   x: any with rank >= 1 -> y: same as x; axis in [-rank, rank),
//             negative counts from the end (default -1, the last)
// Each row (every index of the other axes) is independent; rows run in parallel.
#pragma once

#include <cstdint>

#include "framework/tensor.h"

namespace xgrad {

Tensor softmax(const Tensor& x, std::int64_t axis = -1);
Tensor log_softmax(const Tensor& x, std::int64_t axis = -1);
// The gradients from the saved output y (one fused pass each).
Tensor softmax_backward(const Tensor& dy, const Tensor& y, std::int64_t axis = -1);
Tensor log_softmax_backward(const Tensor& dy, const Tensor& y, std::int64_t axis = -1);

}  // namespace xgrad
