// Rectified linear unit, elementwise.
//   forward:  y = max(x, 0); NaN stays NaN (as PyTorch)
//   backward: dx = relu_backward(dy, y) = dy · [y > 0]     saves y (the mask is y > 0)
//             relu_backward is linear in dy with a constant mask, so its own
//             gradient is relu_backward(g, y) for dy and 0 for y: relu's
//             second derivative is 0 (everywhere but at 0, where it is undefined)
//   shapes:   x: any -> y: same as x
// At x = 0 the gradient is 0 (the subgradient PyTorch also picks); where y
// is NaN the gradient passes through (PyTorch's threshold_backward).
#pragma once

#include "framework/tensor.h"

namespace xgrad {

Tensor relu(const Tensor& x);
// The gradient of relu: dy where y > 0 (or y is NaN), else 0.
Tensor relu_backward(const Tensor& dy, const Tensor& y);

}  // namespace xgrad
