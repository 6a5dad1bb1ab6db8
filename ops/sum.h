// Sum and mean, over all elements or over some axes.
//   forward:  sum:  y = Σ x over the reduced axes
//             mean: y = Σ x / count, count = product of the reduced extents
//   backward: dx = dy (mean: dy / count) broadcast back to x's shape: the
//             reduced axes are reinserted with size 1, then expanded
//             saves x's shape with the reduced axes as 1, and count
//   shapes:   sum(x), mean(x): x any -> ()
//             sum(x, axes, keepdims), mean(...): x any -> x without `axes`
//             (keepdims: with `axes` kept as size 1)
//   axes:     one axis (sum(x, 1)) or several (sum(x, {0, 2})), each in
//             [-rank, rank) (negative counts from the end), no duplicates;
//             an empty list reduces nothing (NumPy's axis=(); ops/axes.h).
// Determinism: each output element is accumulated in double in one fixed
// order (row-major over the reduced axes; contiguous stretches through
// parallel_sum, whose chunks do not depend on the thread count), so results
// are bit-identical for any number of threads.
// Empty reductions: a sum over zero elements is 0, a mean is NaN (0/0), as in NumPy.
// Lecture: the costs L3-L5 average over the n examples with mean.
#pragma once

#include <vector>

#include "framework/tensor.h"
#include "ops/axes.h"

namespace xgrad {

Tensor sum(const Tensor& x);
Tensor sum(const Tensor& x, const Axes& axes, bool keepdims = false);
Tensor mean(const Tensor& x);
Tensor mean(const Tensor& x, const Axes& axes, bool keepdims = false);

}  // namespace xgrad
