// Inverted dropout, elementwise.                                    (L13)
//   The lecture removes each unit with probability p "with all its
//   connections" while training and uses every unit while testing. Zeroing a
//   unit's activation removes its outgoing connections (they multiply 0) and
//   its incoming ones (no gradient flows back through a zero mask).
//   forward:  training: y = x · m · s,  m_i ~ Bernoulli(1 − p) (1 = kept),
//             s = 1/(1 − p), so E[y] = x (the expected activation is kept
//             and testing needs no rescaling); eval, or p = 0: y = x (the
//             input itself, no node, no random numbers drawn); p = 1: y = 0
//   backward: dx = dy · m · s                 saves the multiplier m · s
//             (a plain Array captured by value: forward and backward use the
//             same mask)
//   shapes:   x: any -> y: same as x; mask: same shape and dtype as x
// Masks come from the counter-based Generator: element i is dropped iff
// Generator::uniform01(gen.seed(), first + i) < p, where first is the
// generator's offset before the call; the call advances it by x.size(). So
// a mask is the same for any thread count and can be recomputed by hand.
#pragma once

#include "framework/generator.h"
#include "framework/tensor.h"

namespace xgrad {

// REQUIRES: 0 <= p <= 1 (else ValueError).
Tensor dropout(const Tensor& x, double p, bool training, Generator& gen);

// y = x · mask · scale with a given mask (any values; normally 0/1): the
// deterministic core of dropout, for gradient checks and tests.
// REQUIRES: mask has x's shape (ShapeError) and dtype (DTypeError); scale is
// finite (ValueError).
Tensor dropout_with_mask(const Tensor& x, const Array& mask, double scale);

// The keep mask dropout draws: 1 where kept (probability 1 − p), else 0.
Array dropout_mask(const Shape& shape, double p, Generator& gen, DType dtype = kFloat32);

}  // namespace xgrad
