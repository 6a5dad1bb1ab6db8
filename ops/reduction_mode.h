// Reduction: how a loss combines its terms into the scalar it returns.
//
// Every loss header says what its terms are (one per element, or one per
// example row) and so what kMean divides by. The lecture's costs average over
// the n examples but sum over the K outputs, J = (1/n) Σ_i Σ_k ℓ_ik: with
// per-element losses that is the kSum result divided by n (see the losses).
#pragma once

namespace xgrad {

enum class Reduction {
  kMean,  // the sum of the terms divided by their number
  kSum,   // the plain sum of the terms
};

}  // namespace xgrad
