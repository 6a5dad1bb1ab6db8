// The L2 penalty over a model's weights, in the lecture's two conventions.   (L3, L4, L9)
//
//   kLambdaOver2n:  P = (λ/(2n)) Σ θ²   the lecture's cost (L3, L4);  ∂P/∂θ = (λ/n) θ
//   kLambdaOver2:   P = (λ/2) Σ θ²      ∂P/∂θ = λ θ, the term of the slide's D (L9)
// n is the number of examples. The slides pair the (λ/2n) cost with a D that
// holds λΘ; both cannot hold at once (docs/lecture.md, L9), so both are
// expressible here and tests/lecture/test_l09_backprop.cpp shows each pairing.
//
// The sum runs over parameters with role kWeight only, unless include_biases
// (which adds the biases and normalisation scales): the lecture's Σ over
// j ≥ 1 leaves θ0, the bias, unpenalised.
//
// Weight decay in xgrad means the (λ/2) convention: an optimiser's weight
// decay wd adds wd·θ to the gradient of each kWeight parameter, which is the
// gradient of (wd/2) Σ θ², i.e. kLambdaOver2 with λ = wd. The lecture's cost
// (λ/2n) Σ θ² therefore corresponds to weight decay wd = λ/n.
#pragma once

#include <vector>

#include "models/module.h"

namespace xgrad {

enum class L2Convention {
  kLambdaOver2n,  // (λ/(2n)) Σ θ², the lecture's cost
  kLambdaOver2,   // (λ/2) Σ θ², the slide's D and xgrad's weight decay
};

// λ/(2n) or λ/2. REQUIRES: λ >= 0; n > 0 for kLambdaOver2n (ValueError otherwise).
double l2_coefficient(double lambda, double n, L2Convention convention);

// coefficient · Σ over the selected parameters of Σ θ², a scalar tensor that
// backpropagates into them. A constant 0 when no parameter is selected.
// REQUIRES: params not empty, all of one dtype.
Tensor l2_penalty(const std::vector<Parameter>& params, double lambda, double n,
                  L2Convention convention, bool include_biases = false);
Tensor l2_penalty(const Module& model, double lambda, double n, L2Convention convention,
                  bool include_biases = false);

}  // namespace xgrad
