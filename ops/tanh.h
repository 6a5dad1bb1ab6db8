// Hyperbolic tangent, elementwise.
//   forward:  y = tanh(x)                        (std::tanh: ±1 at ±1000, no overflow)
//   backward: dx = tanh_backward(dy, y) = dy · (1 - y²)      saves y
//             tanh_backward's own gradient: g · (1 - y²) for dy, -2 g · dy · y for y
//   shapes:   x: any -> y: same as x
#pragma once

#include "framework/tensor.h"

namespace xgrad {

Tensor tanh(const Tensor& x);
// The gradient of tanh from its output y: dy · (1 - y²), one fused pass.
Tensor tanh_backward(const Tensor& dy, const Tensor& y);

}  // namespace xgrad
