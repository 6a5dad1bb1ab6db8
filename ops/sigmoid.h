// Logistic sigmoid, elementwise.                      (lecture: g)
//   forward:  y = 1 / (1 + exp(-x)), computed as exp(x) / (1 + exp(x)) for
//             x < 0 so that no exp overflows (exact 0 and 1 at ±1000)
//   backward: dx = sigmoid_backward(dy, y) = dy · y · (1 - y)   saves y, not x   (L7)
//             sigmoid_backward's own gradient: g · y · (1 - y) for dy,
//             g · dy · (1 - 2y) for y
//   shapes:   x: any -> y: same as x
#pragma once

#include <cmath>

#include "framework/tensor.h"

namespace xgrad {

Tensor sigmoid(const Tensor& x);
// The gradient of sigmoid from its output y: dy · y · (1 - y), one fused pass.
Tensor sigmoid_backward(const Tensor& dy, const Tensor& y);

namespace kernels {
// The stable scalar sigmoid, shared with the fused losses.
template <class T>
T sigmoid(T x) {
  if (x >= T(0)) return T(1) / (T(1) + std::exp(-x));
  const T e = std::exp(x);
  return e / (T(1) + e);
}
}  // namespace kernels

}  // namespace xgrad
