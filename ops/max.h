// Maximum along one axis.
//   forward:  y = max of x along `axis`
//   backward: dx = dy at the first maximal element of each row (the lowest
//             index along the axis), 0 elsewhere      saves those indices
//   shapes:   x: rank >= 1 with a non-empty `axis` -> x without `axis`
//             (keepdims: with `axis` kept as size 1); axis in [-rank, rank),
//             negative counts from the end
// Ties send the whole gradient to one element (PyTorch's max(dim) does the
// same); a NaN in a row is its maximum (NaN propagates, as in NumPy).
#pragma once

#include "framework/tensor.h"

namespace xgrad {

Tensor max(const Tensor& x, int axis, bool keepdims = false);

}  // namespace xgrad
