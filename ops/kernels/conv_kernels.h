// Register-tiled micro-kernels for convolution (L16), written once for float and double
// on 32-byte vectors of L = 8 floats or 4 doubles.
//
// Note [Slot GEMM]. A convolution is a matrix product whose right-hand matrix B (the
// im2col matrix) need not be built: a "slot" is L consecutive columns of B, read straight
// from the source as src[off[k] + slot.src + 0..L-1]. For a stride-1 convolution on a
// (padded) image of width Wp, row k = (c, kh, kw) of B has off[k] = (c·Hp + kh·D)·Wp + kw·D,
// and a slot is L consecutive outputs (oh, ow0..ow0+L-1) of one output row, at
// slot.src = oh·Wp + ow0: those L outputs read L consecutive inputs of every tap. The
// left-hand matrix A is packed into blocks of up to 8 rows and each tile keeps MB rows ×
// NB slots of accumulators in registers, so one loaded B vector feeds MB fused
// multiply-adds. The same kernels run on an explicit buffer (off[k] = k·ld), e.g. the
// dY rows of an image.
//   slot_gemm:    dst[row_off[m] + slot.dst + l] (=|+=) init[m] + Σ_k A[m][k] · B(k, slot)[l]
//                 Stored, it is the forward (y rows at row_off[m] = m·OH·OW; slots may
//                 overlap, e.g. the last slot of a row ending at OW: overlapping outputs
//                 are recomputed by the same instructions, same bits). Added, it is the
//                 input gradient of a stride-1 convolution, A = Wᵀ, B = dY and row_off[m]
//                 = the tap offset of m = (c, kh, kw) in dx: every tap's contribution is
//                 scattered straight onto the image (col2im without the col matrix).
//   slot_gemm_bt: out[m][k] += Σ_slots Σ_l dy[m][slot.dst + l] · B(k, slot)[l]
//                 + Σ_tail dy[m][t.dst] · src[off[k] + t.src]
//                 (weight gradient; slots must not overlap; single-element `tail` columns
//                 cover what is left of each row)
// Every sum runs in a fixed order (k ascending; slots, then lanes, then the tail), so
// results do not depend on how callers split work across threads.
// Thread safety: pure functions; callers give each task its own outputs.
#pragma once

#include <cstddef>
#include <vector>

namespace xgrad::kernels {

// Elements per 32-byte vector.
template <class T>
inline constexpr std::size_t kLanes = 32 / sizeof(T);

// A (rows × depth), a(m, k) = a[m·row_stride + k·col_stride], packed for slot_gemm:
// blocks of `block` rows (at most 8), inside a block k-major, zero-padded.
template <class T>
struct PackedRows {
  std::size_t rows = 0, depth = 0, block = 0;
  std::vector<T> data;  // [ceil(rows / block)][depth][block]
};
template <class T>
PackedRows<T> pack_rows(const T* a, std::size_t rows, std::size_t depth, std::size_t row_stride,
                        std::size_t col_stride);

// The columns of B, as offsets into the source (src) and into the output or dY (dst).
struct SlotList {
  std::vector<std::ptrdiff_t> src, dst;            // vector slots: L columns each
  std::vector<std::ptrdiff_t> tail_src, tail_dst;  // single columns (slot_gemm_bt only)
  void add(std::ptrdiff_t s, std::ptrdiff_t d) {
    src.push_back(s);
    dst.push_back(d);
  }
  void add_tail(std::ptrdiff_t s, std::ptrdiff_t d) {
    tail_src.push_back(s);
    tail_dst.push_back(d);
  }
};

// Row m of the result goes to dst + row_off[m] + slot.dst, stored or (accumulate) added.
// init: a.rows values (a bias) or nullptr for 0.
// REQUIRES: every slot's L elements lie inside src and dst; with accumulate, no two
// (row, slot) pairs share an output vector unless they are meant to add up.
template <class T>
void slot_gemm(const PackedRows<T>& a, const T* init, const T* src, const std::ptrdiff_t* off,
               const SlotList& slots, T* dst, const std::ptrdiff_t* row_off, bool accumulate);

// out (rows × depth, row stride depth) += dy · Bᵀ; dy rows are ldy apart.
template <class T>
void slot_gemm_bt(const T* dy, std::size_t rows, std::size_t ldy, const T* src,
                  const std::ptrdiff_t* off, std::size_t depth, const SlotList& slots, T* out);

// Σ x[0..n) in a fixed order (vector lanes, then the rest).
template <class T>
T sum_fixed_order(const T* x, std::size_t n);

}  // namespace xgrad::kernels
