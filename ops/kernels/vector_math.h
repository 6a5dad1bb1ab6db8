// Elementwise float functions on vectors of 16 (AVX-512F) or 8 (AVX2) lanes, with glibc's
// vector math library (libmvec, part of libc6: no extra dependency) for exp, chosen at run
// time (Note [Choosing kernels at run time], ops/kernels/cpu_isa.h).
//
// Note [Vector exp]. The MLP step (W2) spent 14% of its time in sigmoid's scalar expf
// calls and the loop around them; libmvec's vector expf evaluates 16 per call (the
// sigmoid within 3 ulps of the exact value, the scalar path within 2: tests/ops/kernels/
// test_vector_math.cpp). Each lane's result depends only on its
// own input, and the tail is computed by the same vector call on a padded copy, so results
// do not depend on where a thread's range starts: bit-identical for any thread count.
// They may differ from the scalar path (XGRAD_ISA=scalar, or a CPU without AVX2) by an
// ulp.
// Thread safety: pure functions; each call writes only y[0, n).
#pragma once

#include <cstddef>

#include "ops/kernels/cpu_isa.h"

namespace xgrad::kernels {

// y[i] = 1 / (1 + e^-x[i]) for x >= 0, e^x / (1 + e^x) below (no overflow: exact 0 and 1
// far out, NaN stays NaN), on the kernels of `isa` (REQUIRES: cpu_supports(isa)).
void sigmoid_f32(const float* x, float* y, std::size_t n, Isa isa = active_isa());

}  // namespace xgrad::kernels
