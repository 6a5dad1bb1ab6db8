// Matrix product, plain and batched.
//   forward:  y = a · b
//   backward: da = dy · bᵀ,  db = aᵀ · dy         saves nothing: reads a, b
//   shapes:   (m, k) · (k, n)       -> (m, n)
//             (B, m, k) · (B, k, n) -> (B, m, n)  one product per batch entry
//             (B, m, k) · (k, n)    -> (B, m, n)  b shared: db sums over B
//             (m, k) · (B, k, n)    -> (B, m, n)  a shared: da sums over B
// Lecture: z(l+1) = Θ(l) a(l) (L1), Δ(l) += δ(l+1) a(l)ᵀ (L8) are matmuls.
#pragma once

#include "framework/tensor.h"

namespace xgrad {

Tensor matmul(const Tensor& a, const Tensor& b);

}  // namespace xgrad
