// Softmax cross-entropy from logits, fused with a stable log-softmax.
//   forward:  per row i of the logits z (N, K), with m_i = max_k z_ik:
//               log p_ik = z_ik − m_i − log Σ_k exp(z_ik − m_i)    (no overflow at ±1000)
//             class-index targets t (N):       ℓ_i = −log p_{i, t_i}
//             probability targets T (N, K):    ℓ_i = −Σ_k T_ik · log p_ik
//             one term per row: kMean J = (1/N) Σ_i ℓ_i (s = 1/N), kSum J = Σ_i ℓ_i (s = 1)
//   backward: dz_ik = dJ · s · (p_ik · Σ_k T_ik − T_ik), which is softmax − onehot for
//             class indices or rows of T summing to 1       recomputes p from z; saves nothing
//             (softmax_cross_entropy_backward, a fused kernel whose own derivatives
//             are those of this formula written with ops: differentiable to any order);
//             dT_ik = −dJ · s · log p_ik for probability targets (as PyTorch)
//   shapes:   z (N, K); t (N) int64 class indices in [0, K) (or integral values in z's
//             dtype), or T (N, K) in z's dtype -> J: scalar ()
// Class indices get no gradient. A class index that is not an integer or lies
// outside [0, K) is a ValueError naming the row.
#pragma once

#include "framework/tensor.h"
#include "ops/reduction_mode.h"

namespace xgrad {

Tensor softmax_cross_entropy(const Tensor& logits, const Tensor& target,
                             Reduction reduction = Reduction::kMean);

// The gradient with respect to the logits for an upstream dJ = dy (a scalar)
// and the reduction's scale s.
Tensor softmax_cross_entropy_backward(const Tensor& dy, const Tensor& logits, const Tensor& target,
                                      double scale);

}  // namespace xgrad
