// Elementwise math: exp, log, sqrt, sign, abs, pow with a constant exponent, square.
//   forward                 backward                      saves
//   y = exp(x)              dx = dy · y                   y
//   y = log(x)              dx = dy / x                   nothing: reads x
//   y = sqrt(x)             dx = dy / (2y)                y
//   y = sign(x)             dx = 0                        nothing (NaN stays NaN)
//   y = |x|                 dx = dy · sign(x)             nothing: reads x
//   y = x^p                 dx = dy · p · x^(p-1)         p; reads x
//   y = x²                  dx = dy · 2x                  nothing: reads x
//   shapes:   x: any -> y: same as x
// Outside the domain the values follow IEEE/NumPy rather than throwing (so a
// training run can detect them as it would in NumPy): log(0) = -inf and
// log(x < 0) = NaN; sqrt(x < 0) = NaN and the gradient of sqrt at 0 is +inf;
// x^p of a negative x with a non-integer p is NaN.
// Gradients are written with ops (Note [Differentiable backward]), so every
// one of these is differentiable to any order.
// Subgradients at kinks: abs uses sign(0) = 0 (PyTorch's choice); pow with
// p = 0 has gradient 0 everywhere (also at x = 0, where p · x^(p-1) is 0 · inf).
#pragma once

#include "framework/tensor.h"

namespace xgrad {

Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor sign(const Tensor& x);
Tensor abs(const Tensor& x);
Tensor pow(const Tensor& x, double p);
Tensor square(const Tensor& x);

}  // namespace xgrad
