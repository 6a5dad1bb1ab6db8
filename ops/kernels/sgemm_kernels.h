// The float gemm's micro-kernels, one set per instruction set (Note [Choosing kernels at
// run time] in ops/kernels/cpu_isa.h). Internal to ops/kernels/gemm.cpp (the driver:
// blocking, packing, tiles over threads) and its tests.
//
// Two kinds of tile, both over kc steps of the inner dimension p:
// - outer-product (`kernel`): mr rows × nr columns of C held in vector registers; per
//   step one row of B (nr values, from a panel packed k-major: b[p·nr + j], zero-padded,
//   64-byte aligned) times mr values of A broadcast one by one. A is read in place or
//   packed: row i, step p at a[i·rs + p·ks] (packed: rs = 1, ks = mr; Aᵀ in place:
//   rs = 1, ks = lda; A in place: rs = lda, ks = 1).
// - dot-product (`dot`), for C = A·Bᵀ where both operands are contiguous along p: dr rows
//   of A × dc rows of B, each element a vector of partial sums along p, summed across the
//   vector at the end. A is read in place and B's rows are interleaved chunk by chunk (a
//   copy, no transposition): transposing either, as the outer-product tiles need, would
//   cost as much as the product on the MLP's skinny shapes.
// Each element of a tile is one fixed sequence of fused multiply-adds in p order (and,
// for dot, a fixed summation across the vector), so its value does not depend on where
// the tile sits or which thread runs it.
// Thread safety: pure functions.
#pragma once

#include <cstddef>

#include "ops/kernels/cpu_isa.h"

namespace xgrad::kernels::sgemm {

// acc(i, j) = Σ_{p < kc} a[i·rs + p·ks] · b[p·nr + j] for i < mr, j < nr (rows past m
// repeat row m - 1 when rs != 1; with rs == 1 the caller provides mr readable values per
// step), then for i < m, j < n: c[i·ldc + j] = alpha · acc(i, j) + beta · c[i·ldc + j];
// with beta == 0, c is only written.
using MicroKernel = void (*)(std::size_t kc, const float* a, std::size_t rs, std::size_t ks,
                             const float* b, float* c, std::size_t ldc, std::size_t m,
                             std::size_t n, float alpha, float beta);

// acc(i, j) = Σ_{p < kc} a[i·lda + p] · B(j, p) for i < m ≤ dr, j < n ≤ dc, then
// c[i·ldc + j] = alpha · acc(i, j) + beta · c[i·ldc + j] (beta == 0: c only written).
// B's dc rows packed in chunks of dl steps, the rows' chunks one after the other:
// B(j, p) = b[(p / dl)·dc·dl + j·dl + p % dl], zero-padded to whole chunks, 64-byte aligned.
using DotKernel = void (*)(std::size_t kc, const float* a, std::size_t lda, const float* b,
                           float* c, std::size_t ldc, std::size_t m, std::size_t n, float alpha,
                           float beta);

// One instruction set's kernels and the block sizes measured best for them.
struct Path {
  Isa isa;
  std::size_t mr, nr;       // outer-product tile
  std::size_t mr_rows;      // its rows when A is read in place row by row (a pointer each)
  MicroKernel kernel_rows;  // that tile's kernel
  std::size_t kc;           // inner-dimension block: a packed B panel is kc · nr floats
  std::size_t mc;           // rows of A per block (their kc columns stay in L2)
  MicroKernel kernel;
  std::size_t dr, dc;  // dot-product tile
  std::size_t dkc;     // inner-dimension block of the dot tiles: dc rows of B in L1
  std::size_t dl;      // steps per chunk of packed B in the dot tiles (the vector width)
  DotKernel dot;
  const char* name;  // e.g. "avx512 12x32"
};

// REQUIRES: cpu_supports(isa).
const Path& path_for(Isa isa);

}  // namespace xgrad::kernels::sgemm
