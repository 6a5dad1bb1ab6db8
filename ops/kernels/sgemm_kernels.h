// The float gemm's micro-kernels, one per instruction set (Note [Choosing kernels at run
// time] in ops/kernels/cpu_isa.h), and the packed layout they read. Internal to
// ops/kernels/gemm.cpp (the driver: blocking, packing, tiles over threads) and its tests.
//
// A micro-kernel computes one mr × nr tile of C over kc steps of the inner dimension from
// two packed panels: pa holds op(A)'s mr rows k-major (pa[p·mr + i]), pb holds op(B)'s nr
// columns k-major (pb[p·nr + j]), both zero-padded to whole panels and 64-byte aligned.
// Each element of the tile is one chain of fused multiply-adds in p order, so its value
// does not depend on where the tile sits or which thread runs it.
// Thread safety: pure functions.
#pragma once

#include <cstddef>

#include "ops/kernels/cpu_isa.h"

namespace xgrad::kernels::sgemm {

// acc(i, j) = Σ_{p < kc} pa[p·mr + i] · pb[p·nr + j], then for i < m, j < n:
// c[i·ldc + j] = acc(i, j) + beta · c[i·ldc + j]; with beta == 0, c is only written.
using MicroKernel = void (*)(std::size_t kc, const float* pa, const float* pb, float* c,
                             std::size_t ldc, std::size_t m, std::size_t n, float beta);

// One instruction set's kernel and the block sizes measured best for it.
struct Path {
  Isa isa;
  std::size_t mr, nr;  // micro-tile
  std::size_t kc;      // inner-dimension block: a pb panel (kc · nr floats) stays in L1
  std::size_t mc;      // rows of A packed at a time (mc · kc floats in L2)
  MicroKernel kernel;
  const char* name;  // e.g. "avx512 12x32"
};

// REQUIRES: cpu_supports(isa).
const Path& path_for(Isa isa);

}  // namespace xgrad::kernels::sgemm
