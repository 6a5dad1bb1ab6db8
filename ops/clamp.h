// clamp: each element limited to [min, max] (either bound may be absent).
//   forward:  y = min(max(x, lo), hi); NaN stays NaN (as PyTorch)
//   backward: dx = dy · [lo <= x <= hi]      reads x; the mask is a constant,
//             so the second derivative is 0 (the bounds are kinks)
//   shapes:   x: any -> y: same as x
// Both bounds absent is a ValueError; lo > hi sets every element to hi (as PyTorch).
#pragma once

#include <optional>

#include "framework/tensor.h"

namespace xgrad {

Tensor clamp(const Tensor& x, std::optional<double> min, std::optional<double> max = std::nullopt);
Tensor clamp_min(const Tensor& x, double min);
Tensor clamp_max(const Tensor& x, double max);

}  // namespace xgrad
