// Binary cross-entropy, on probabilities and, fused and stable, on logits.  (L3, L4, L6)
//   binary_cross_entropy(p, y), one term per element:
//     forward:  ℓ = −[y·log p + (1 − y)·log(1 − p)], each log clamped below at −100
//               so p = 0 or 1 gives a finite loss (PyTorch's convention)
//     backward: dp = dJ · (p − y) / max(p·(1 − p), 1e-12) · s       reads p, y
//               (binary_cross_entropy_backward); y gets no gradient (as PyTorch)
//   binary_cross_entropy_with_logits(z, y), the same loss of p = g(z):
//     forward:  ℓ = max(z, 0) − z·y + log(1 + exp(−|z|))   never overflows (|z| = 1000 is fine)
//     backward: dz = dJ · (g(z) − y) · s                  reads z, y   (the L6 shortcut;
//               binary_cross_entropy_with_logits_backward), dy = −dJ · z · s (as PyTorch)
//   reduction over the m elements: kMean J = (1/m) Σ ℓ (s = 1/m), kSum J = Σ ℓ (s = 1)
//   shapes:   p or z: any, y: the same shape -> J: scalar ()
// y is a label (0/1, or a soft target in [0, 1]).
// The gradient ops are fused kernels whose own derivatives are those of the
// formulas above written with ops (record_fused): differentiable to any order.
// REQUIRES: p in [0, 1] (ValueError otherwise); a non-empty input.
// The lecture's network cost sums over the K outputs and averages over the n
// examples: J = −(1/n) Σ_i Σ_k [...] = binary_cross_entropy(a, Y, Reduction::kSum) / n.
#pragma once

#include "framework/tensor.h"
#include "ops/reduction_mode.h"

namespace xgrad {

Tensor binary_cross_entropy(const Tensor& input, const Tensor& target,
                            Reduction reduction = Reduction::kMean);
Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& target,
                                        Reduction reduction = Reduction::kMean);

// The gradients with respect to p (resp. z) for an upstream dJ = dy (a
// scalar) and the reduction's scale s.
Tensor binary_cross_entropy_backward(const Tensor& dy, const Tensor& p, const Tensor& y,
                                     double scale);
Tensor binary_cross_entropy_with_logits_backward(const Tensor& dy, const Tensor& z,
                                                 const Tensor& y, double scale);

}  // namespace xgrad
