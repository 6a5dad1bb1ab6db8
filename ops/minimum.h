// Elementwise maximum and minimum of two tensors, with NumPy broadcasting.
//   forward:  maximum: y = max(a, b); minimum: y = min(a, b); a NaN in either
//             operand gives NaN (as PyTorch; std::max would drop it)
//   backward: maximum: da = sum_to_size(dy · w_a), db = sum_to_size(dy · w_b) with
//               w_a = 1 where a > b, 1/2 where a == b, 0 where a < b (w_b mirrored),
//             minimum likewise with the comparisons reversed: a tie splits the
//             gradient in halves, PyTorch 1.13's choice (derivatives.yaml:
//             where(self == other, grad / 2, grad).masked_fill_(self < other, 0)).
//             Where an operand is NaN neither comparison holds, so both get dy.
//             The weights are constants read from a and b, so the second
//             derivative is 0 (away from ties, where it is undefined).
//   shapes:   a, b broadcastable -> the broadcast shape; equal float dtypes
#pragma once

#include "framework/tensor.h"

namespace xgrad {

Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);

}  // namespace xgrad
