// Elementwise math: exp, log, sqrt, sign, abs, pow with a constant exponent,
// square, log1p, expm1, erf, sin, cos.
//   forward                 backward                      saves
//   y = exp(x)              dx = dy · y                   y
//   y = log(x)              dx = dy / x                   nothing: reads x
//   y = sqrt(x)             dx = dy / (2y)                y
//   y = sign(x)             dx = 0                        nothing (NaN stays NaN)
//   y = |x|                 dx = dy · sign(x)             nothing: reads x
//   y = x^p                 dx = dy · p · x^(p-1)         p; reads x
//   y = x²                  dx = dy · 2x                  nothing: reads x
//   y = log(1 + x)          dx = dy / (1 + x)             nothing: reads x
//   y = exp(x) - 1          dx = dy · (y + 1)             y
//   y = erf(x)              dx = dy · 2/√π · exp(-x²)     nothing: reads x
//   y = sin(x)              dx = dy · cos(x)              nothing: reads x
//   y = cos(x)              dx = -dy · sin(x)             nothing: reads x
//   shapes:   x: any -> y: same as x
// Outside the domain the values follow IEEE/NumPy rather than throwing (so a
// training run can detect them as it would in NumPy): log(0) = -inf and
// log(x < 0) = NaN; sqrt(x < 0) = NaN and the gradient of sqrt at 0 is +inf;
// x^p of a negative x with a non-integer p is NaN; log1p(-1) = -inf and
// log1p(x < -1) = NaN. log1p and expm1 are exact near 0 (std::log1p, std::expm1),
// where log(1 + x) and exp(x) - 1 lose every digit.
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
Tensor log1p(const Tensor& x);
Tensor expm1(const Tensor& x);
Tensor erf(const Tensor& x);
Tensor sin(const Tensor& x);
Tensor cos(const Tensor& x);

}  // namespace xgrad
