// Reshape and flatten: the same elements (row-major order) in a new shape.
//   forward:  y = x viewed as `shape` (a copy; xgrad has no views)
//   backward: dx = dy reshaped to x's shape      saves x's shape
//   shapes:   reshape: x (any) -> shape, equal sizes; at most one dimension
//             may be -1 and is inferred
//             flatten: x (N, ...) -> (N, rest)   (keeps the first dimension)
#pragma once

#include <cstdint>
#include <vector>

#include "framework/tensor.h"

namespace xgrad {

Tensor reshape(const Tensor& x, const std::vector<std::int64_t>& shape);
Tensor flatten(const Tensor& x);

}  // namespace xgrad
