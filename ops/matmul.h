// Matrix product, plain and batched.
//   forward:  y = a · b
//   backward: da = dy · bᵀ,  db = aᵀ · dy         saves nothing: reads a, b
//             (each a matmul_t: the operands are read transposed in place, and the
//             gradient is itself differentiable)
//   shapes:   (m, k) · (k, n)       -> (m, n)
//             (B, m, k) · (B, k, n) -> (B, m, n)  one product per batch entry
//             (B, m, k) · (k, n)    -> (B, m, n)  b shared: db sums over B
//             (m, k) · (B, k, n)    -> (B, m, n)  a shared: da sums over B
// Lecture: z(l+1) = Θ(l) a(l) (L1), Δ(l) += δ(l+1) a(l)ᵀ (L8) are matmuls.
#pragma once

#include "framework/tensor.h"

namespace xgrad {

Tensor matmul(const Tensor& a, const Tensor& b);

// op(a) · op(b), op = transpose of the last two dimensions when its flag is
// set, without copying the transposed operand: what matmul's and linear's
// gradients are made of. Shapes as for matmul, after op.
Tensor matmul_t(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b);

// Σ_i a[i]ᵀ · b[i] for a (B, m, k) and b (B, m, n) -> (k, n): the gradient
// of a matrix shared across a batch, as one product over the B·m rows.
Tensor matmul_flat_tn(const Tensor& a, const Tensor& b);

}  // namespace xgrad
