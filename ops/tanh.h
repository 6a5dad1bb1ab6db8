// Hyperbolic tangent, elementwise.
//   forward:  y = tanh(x)                        (std::tanh: ±1 at ±1000, no overflow)
//   backward: dx = dy · (1 - y²)                 saves y
//   shapes:   x: any -> y: same as x
#pragma once

#include "framework/tensor.h"

namespace xgrad {

Tensor tanh(const Tensor& x);

}  // namespace xgrad
