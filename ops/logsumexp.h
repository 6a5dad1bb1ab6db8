// logsumexp over axes (PyTorch's torch.logsumexp), stable.
//   forward:  y = m + log Σ exp(x - m) over the reduced axes, m = their max
//             (0 where m is ±inf, as PyTorch, so a row of -inf gives -inf and a
//             +inf gives +inf instead of NaN); exp never overflows: finite at ±1000.
//             The reduced axes are copied to the end (one permuted copy, unless
//             they are last already), then each output row runs on one task.
//   backward: dx = dy · exp(x - y), dy and y broadcast back over the reduced axes
//             (the softmax over them), written with ops: differentiable to any order.
//             saves y (the output); reads x
//   shapes:   x any, dims as for sum (ops/axes.h) -> x without dims (keepdim: as 1)
// A NaN in a row gives NaN; an empty reduction gives -inf (log 0).
#pragma once

#include "framework/tensor.h"
#include "ops/axes.h"

namespace xgrad {

Tensor logsumexp(const Tensor& x, const Axes& dims, bool keepdim = false);

}  // namespace xgrad
