// Affine map of a batch of rows, the fused form of matmul + bias add.
//   forward:  y = x · Wᵀ + b            (lecture: z(l+1) = Θ(l) a(l) with
//                                        W = Θ(l) without column 0, b = column 0; L1)
//   backward: dx = dy · W,  dW = dyᵀ · x (L8: Δ = δ aᵀ summed over rows),
//             db = Σ_rows dy            saves nothing: reads x, W
//   shapes:   x (N, in), W (out, in), b (out) or undefined -> y (N, out)
// One gemm per product instead of a transpose copy plus a broadcast add.
#pragma once

#include "framework/tensor.h"

namespace xgrad {

// b may be an undefined Tensor (no bias).
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor());

}  // namespace xgrad
