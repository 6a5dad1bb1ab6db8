// Broadcasting as ops of their own: broadcast_to / expand repeat a tensor
// along new or size-1 dimensions; sum_to_size is their adjoint.
//   forward:  broadcast_to(x, shape): y[i] = x[i with broadcast dims at 0]
//             expand(x, sizes): broadcast_to with -1 meaning "keep x's size"
//             sum_to_size(x, shape): y = Σ of x over the dimensions that
//             broadcasting `shape` to x's shape adds or stretches
//   backward: broadcast_to: dx = sum_to_size(dy, x.shape)
//             sum_to_size:  dx = broadcast_to(dy, x.shape)     saves shapes only
//   shapes:   broadcast_to: x broadcastable to shape -> shape (NumPy rules)
//             sum_to_size: shape broadcastable to x.shape -> shape
// Every broadcasting op (add, mul, ...) reduces its gradients with
// sum_to_size; results are bit-identical for any thread count (each output
// element is written, or summed in a fixed order, by one task).
#pragma once

#include <cstdint>
#include <vector>

#include "framework/tensor.h"

namespace xgrad {

Tensor broadcast_to(const Tensor& x, const Shape& shape);
// PyTorch's Tensor.expand: sizes aligned at the right; -1 keeps x's size.
Tensor expand(const Tensor& x, const std::vector<std::int64_t>& sizes);
Tensor sum_to_size(const Tensor& x, const Shape& shape);

}  // namespace xgrad
