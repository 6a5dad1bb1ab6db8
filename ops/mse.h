// Mean squared error, with the lecture's 1/2 available.              (L5)
//   forward:  e = x − t elementwise, one term per element, c = 1 (MseScale::kFull) or
//             1/2 (MseScale::kHalf):
//               kMean: J = c · (1/m) Σ e²  over the m elements
//               kSum:  J = c · Σ e²
//   backward: dx = dJ · 2c · e · s,  dt = −dx   (s = 1/m for kMean, 1 for kSum)   reads x, t
//   shapes:   x: any, t: the same shape -> J: scalar ()
// The lecture's regression cost, one output per example, x and t of shape
// (n) or (n, 1):
//   J(Θ) = (1/(2n)) Σ_i (h(x_i) − y_i)²  =  mse(h, y, Reduction::kMean, MseScale::kHalf)
// With K outputs per example (x, t of shape (n, K)) the lecture's form
// (1/(2n)) Σ_i Σ_k (h_ik − y_ik)² is mse(h, y, Reduction::kSum, MseScale::kHalf) / n.
// Both inputs are differentiable (the target may be a model's output too).
#pragma once

#include "framework/tensor.h"
#include "ops/reduction_mode.h"

namespace xgrad {

enum class MseScale {
  kFull,  // Σ e², the usual mean squared error
  kHalf,  // (1/2) Σ e², the lecture's convention: its gradient has no factor 2
};

Tensor mse(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::kMean,
           MseScale scale = MseScale::kFull);

}  // namespace xgrad
