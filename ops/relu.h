// Rectified linear unit, elementwise.
//   forward:  y = max(x, 0)
//   backward: dx = dy · [y > 0]                 saves y (the mask is y > 0)
//   shapes:   x: any -> y: same as x
// At x = 0 the gradient is 0 (the subgradient PyTorch also picks).
#pragma once

#include "framework/tensor.h"

namespace xgrad {

Tensor relu(const Tensor& x);

}  // namespace xgrad
