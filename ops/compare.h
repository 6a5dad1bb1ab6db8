// Comparisons (masks) and where (selection), with NumPy broadcasting.
//   forward:  eq, ne, lt, le, gt, ge (a, b): y = 1 where a ∘ b holds, else 0
//             where(cond, a, b):             y = a where cond != 0, else b
//   backward: comparisons: none (a mask never requires grad)
//             where: da = sum_to_size(where(cond, dy, 0), a.shape)
//                    db = sum_to_size(where(cond, 0, dy), b.shape)
//                    (linear in a and b: where is its own derivative; cond gets none)
//   shapes:   all operands broadcast together (NumPy rules) -> the broadcast shape
//   dtypes:   a and b share one dtype (float32, float64 or int64); a scalar
//             operand takes the tensor's dtype.
// Deviation from PyTorch: xgrad has no bool dtype. A mask is 0/1 in its
// inputs' dtype (float masks multiply straight into float tensors; int64
// inputs give int64 masks), and `cond` is any dtype, true where nonzero
// (a NaN is nonzero, so true, as bool(NaN) in PyTorch). Comparisons follow
// IEEE: with a NaN operand eq, lt, le, gt, ge are 0 and ne is 1.
// Mixed dtypes are a DTypeError rather than a promotion.
// Elementwise, split with parallel_for; each element is written by one task.
#pragma once

#include "framework/tensor.h"

namespace xgrad {

Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);
// Against a scalar s (in a's dtype for floats, compared as double for int64).
Tensor eq(const Tensor& a, double s);
Tensor ne(const Tensor& a, double s);
Tensor lt(const Tensor& a, double s);
Tensor le(const Tensor& a, double s);
Tensor gt(const Tensor& a, double s);
Tensor ge(const Tensor& a, double s);

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);
Tensor where(const Tensor& cond, const Tensor& a, double b);
Tensor where(const Tensor& cond, double a, const Tensor& b);
// PyTorch's Tensor.masked_fill: where(mask, value, x) (e.g. -inf above the
// diagonal of attention scores); differentiable in x.
Tensor masked_fill(const Tensor& x, const Tensor& mask, double value);

}  // namespace xgrad
