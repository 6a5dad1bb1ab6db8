// Maximum and minimum along one axis (or over all elements), and their
// positions (argmax, argmin).
//   forward:  max: y = max of x along `axis`; min likewise
//             argmax / argmin: the position along `axis` of the first maximal
//             (minimal) element, int64; without an axis, the flat (row-major)
//             index over all elements (PyTorch's argmax(x))
//   backward: max/min: dx = dy at the first extremal element of each row (the
//             lowest index along the axis), 0 elsewhere      saves those positions
//             argmax/argmin: none (int64 positions)
//   shapes:   x: rank >= 1 with a non-empty `axis` -> x without `axis`
//             (keepdims: with `axis` kept as size 1); axis in [-rank, rank),
//             negative counts from the end. max(x), min(x): any non-empty x -> ().
// Ties send the whole gradient to one element (PyTorch's max(dim) does the
// same); a NaN in a row is its maximum and its minimum (NaN propagates, as in
// PyTorch, and argmax/argmin point at the first NaN). int64 inputs are
// accepted (values and positions, no gradient).
#pragma once

#include <cstdint>

#include "framework/tensor.h"

namespace xgrad {

Tensor max(const Tensor& x, std::int64_t axis, bool keepdims = false);
Tensor min(const Tensor& x, std::int64_t axis, bool keepdims = false);
Tensor max(const Tensor& x);
Tensor min(const Tensor& x);
Tensor argmax(const Tensor& x, std::int64_t axis, bool keepdims = false);
Tensor argmin(const Tensor& x, std::int64_t axis, bool keepdims = false);
Tensor argmax(const Tensor& x);
Tensor argmin(const Tensor& x);

}  // namespace xgrad
