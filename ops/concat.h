// Concatenation of tensors along one axis (a copy).
//   forward:  y = [x_0 | x_1 | ... ] along `axis`
//   backward: dx_i = the slab of dy that x_i occupies along `axis`
//             saves the inputs' extents along the axis
//   shapes:   x_i all of one rank and dtype, equal in every dimension but
//             `axis` -> that shape with the axis extents summed.
//             axis may be negative (counted from the end).
#pragma once

#include <cstdint>
#include <vector>

#include "framework/tensor.h"

namespace xgrad {

// REQUIRES: at least one tensor.
Tensor concat(const std::vector<Tensor>& xs, std::int64_t axis);

}  // namespace xgrad
