// Logistic sigmoid, elementwise.                      (lecture: g)
//   forward:  y = 1 / (1 + exp(-x)), computed as exp(x) / (1 + exp(x)) for
//             x < 0 so that no exp overflows (exact 0 and 1 at ±1000)
//   backward: dx = dy · y · (1 - y)                    saves y, not x   (L7)
//   shapes:   x: any -> y: same as x
#pragma once

#include <cmath>

#include "framework/tensor.h"

namespace xgrad {

Tensor sigmoid(const Tensor& x);

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
