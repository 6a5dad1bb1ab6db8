// Sum of squares of every element, the L2 penalty's building block.   (L3, L4, L9)
//   forward:  y = Σ_i x_i²                 summed in double, in a fixed order
//   backward: dx = 2 · x · dy              reads x
//   shapes:   x: any (empty gives 0) -> y: scalar ()
// Fused (one node, summed in double) because the L2 penalty adds one per
// weight to every step: (λ/2n) Σ θ² is sum_of_squares(θ) * (λ / (2n)), see
// models/penalty.h.
#pragma once

#include "framework/tensor.h"

namespace xgrad {

Tensor sum_of_squares(const Tensor& x);

}  // namespace xgrad
