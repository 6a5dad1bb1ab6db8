#include "ops/kernels/conv_kernels.h"

#include <algorithm>
#include <cstring>

namespace xgrad::kernels {

namespace {

// 32 bytes of T (GCC/Clang vector extension; plain loops elsewhere).
template <class T>
struct Simd {
  typedef T V __attribute__((vector_size(32)));
};

// Tiles are separate (not inlined) functions: inlined into their loops, GCC 12 ran out
// of vector registers and spilled operands to the stack, halving the speed.
#define XGRAD_TILE __attribute__((noinline))
#define XGRAD_UNROLL _Pragma("GCC unroll 16")

// Rows [0, rows) of one block of MB packed rows over NB slots, stored to (or, if Add,
// added to) dst + roff[m] + dbase[slot].
template <class T, int MB, int NB, bool Add>
XGRAD_TILE void gemm_tile(const T* __restrict a, std::size_t depth, const T* init, std::size_t rows,
                          const T* __restrict src, const std::ptrdiff_t* __restrict off,
                          const std::ptrdiff_t* sbase, const std::ptrdiff_t* dbase,
                          T* __restrict dst, const std::ptrdiff_t* roff) {
  using V = typename Simd<T>::V;
  V acc[MB][NB];
  XGRAD_UNROLL for (int m = 0; m < MB; ++m) {
    const T v0 = init != nullptr && std::size_t(m) < rows ? init[m] : T(0);
    XGRAD_UNROLL for (int s = 0; s < NB; ++s) acc[m][s] = V{} + v0;
  }
  const T* b[NB];
  XGRAD_UNROLL for (int s = 0; s < NB; ++s) b[s] = src + sbase[s];
  for (std::size_t k = 0; k < depth; ++k) {
    const std::ptrdiff_t o = off[k];
    const T* ak = a + k * MB;
    XGRAD_UNROLL for (int s = 0; s < NB; ++s) {
      V x;
      std::memcpy(&x, b[s] + o, sizeof x);
      XGRAD_UNROLL for (int m = 0; m < MB; ++m) acc[m][s] += ak[m] * x;
    }
  }
  XGRAD_UNROLL for (int m = 0; m < MB; ++m) {
    if (std::size_t(m) >= rows) break;
    XGRAD_UNROLL for (int s = 0; s < NB; ++s) {
      T* d = dst + roff[m] + dbase[s];
      if (Add) {
        V old;
        std::memcpy(&old, d, sizeof old);
        acc[m][s] += old;
      }
      std::memcpy(d, &acc[m][s], sizeof(V));
    }
  }
}

template <class T, int MB, bool Add>
void gemm_block_rows(const PackedRows<T>& a, const T* init, const T* src, const std::ptrdiff_t* off,
                     const SlotList& slots, T* dst, const std::ptrdiff_t* roff) {
  // Accumulator tiles of 12-24 vectors measured fastest (Zen 4, GCC 12).
  constexpr int NB = MB <= 2 ? 6 : MB <= 6 ? 4 : 2;
  const std::size_t n = slots.src.size();
  for (std::size_t r0 = 0; r0 < a.rows; r0 += MB) {
    const T* ab = a.data.data() + r0 * a.depth;
    const T* in = init != nullptr ? init + r0 : nullptr;
    const std::size_t rows = std::min<std::size_t>(MB, a.rows - r0);
    std::size_t s = 0;
    for (; s + NB <= n; s += NB) {
      gemm_tile<T, MB, NB, Add>(ab, a.depth, in, rows, src, off, &slots.src[s], &slots.dst[s], dst,
                                roff + r0);
    }
    for (; s < n; ++s) {
      gemm_tile<T, MB, 1, Add>(ab, a.depth, in, rows, src, off, &slots.src[s], &slots.dst[s], dst,
                               roff + r0);
    }
  }
}

template <class T, bool Add>
void slot_gemm_impl(const PackedRows<T>& a, const T* init, const T* src, const std::ptrdiff_t* off,
                    const SlotList& s, T* dst, const std::ptrdiff_t* roff) {
  switch (a.block) {
    case 1:
      return gemm_block_rows<T, 1, Add>(a, init, src, off, s, dst, roff);
    case 2:
      return gemm_block_rows<T, 2, Add>(a, init, src, off, s, dst, roff);
    case 3:
      return gemm_block_rows<T, 3, Add>(a, init, src, off, s, dst, roff);
    case 4:
      return gemm_block_rows<T, 4, Add>(a, init, src, off, s, dst, roff);
    case 5:
      return gemm_block_rows<T, 5, Add>(a, init, src, off, s, dst, roff);
    case 6:
      return gemm_block_rows<T, 6, Add>(a, init, src, off, s, dst, roff);
    case 7:
      return gemm_block_rows<T, 7, Add>(a, init, src, off, s, dst, roff);
    default:
      return gemm_block_rows<T, 8, Add>(a, init, src, off, s, dst, roff);
  }
}

// out[m][k] for MB dY rows × KB taps, over every slot and tail column.
template <class T, int MB, int KB>
XGRAD_TILE void gemm_bt_tile(const T* const* dy, const T* __restrict src, const std::ptrdiff_t* off,
                             const SlotList& slots, T* res) {
  using V = typename Simd<T>::V;
  V acc[MB][KB];
  XGRAD_UNROLL for (int m = 0; m < MB; ++m) {
    XGRAD_UNROLL for (int k = 0; k < KB; ++k) acc[m][k] = V{};
  }
  const std::size_t n = slots.src.size();
  for (std::size_t s = 0; s < n; ++s) {
    const T* b = src + slots.src[s];
    const std::ptrdiff_t d = slots.dst[s];
    V x[KB];
    XGRAD_UNROLL for (int k = 0; k < KB; ++k) std::memcpy(&x[k], b + off[k], sizeof(V));
    XGRAD_UNROLL for (int m = 0; m < MB; ++m) {
      V y;
      std::memcpy(&y, dy[m] + d, sizeof y);
      XGRAD_UNROLL for (int k = 0; k < KB; ++k) acc[m][k] += y * x[k];
    }
  }
  for (int m = 0; m < MB; ++m) {
    for (int k = 0; k < KB; ++k) {
      T t = T(0);
      for (std::size_t l = 0; l < kLanes<T>; ++l) t += acc[m][k][l];
      res[m * KB + k] = t;
    }
  }
  for (std::size_t t = 0; t < slots.tail_src.size(); ++t) {
    const T* b = src + slots.tail_src[t];
    for (int m = 0; m < MB; ++m) {
      const T y = dy[m][slots.tail_dst[t]];
      for (int k = 0; k < KB; ++k) res[m * KB + k] += y * b[off[k]];
    }
  }
}

template <class T, int MB>
void gemm_bt_block_rows(const T* dy, std::size_t rows, std::size_t ldy, const T* src,
                        const std::ptrdiff_t* off, std::size_t depth, const SlotList& slots,
                        T* out) {
  constexpr int KB = 5;  // 4x5 / 3x5 tiles measured fastest; 5 divides 5x5 kernels' taps
  for (std::size_t r0 = 0; r0 < rows; r0 += MB) {
    const T* dyr[MB];  // rows past the end repeat the last row; their sums are dropped
    for (int m = 0; m < MB; ++m) dyr[m] = dy + std::min(r0 + m, rows - 1) * ldy;
    for (std::size_t k0 = 0; k0 < depth; k0 += KB) {
      std::ptrdiff_t offk[KB];
      for (int k = 0; k < KB; ++k) offk[k] = off[std::min(k0 + k, depth - 1)];
      T res[MB * KB];
      gemm_bt_tile<T, MB, KB>(dyr, src, offk, slots, res);
      for (std::size_t m = 0; m < MB && r0 + m < rows; ++m) {
        for (std::size_t k = 0; k < KB && k0 + k < depth; ++k) {
          out[(r0 + m) * depth + k0 + k] += res[m * KB + k];
        }
      }
    }
  }
}

// Rows per block: as even as possible, at most `max_block`.
std::size_t even_block(std::size_t rows, std::size_t max_block) {
  const std::size_t blocks = (rows + max_block - 1) / max_block;
  return (rows + blocks - 1) / blocks;
}

}  // namespace

template <class T>
PackedRows<T> pack_rows(const T* a, std::size_t rows, std::size_t depth, std::size_t row_stride,
                        std::size_t col_stride) {
  PackedRows<T> p;
  p.rows = rows;
  p.depth = depth;
  p.block = rows == 0 ? 1 : even_block(rows, 8);
  const std::size_t blocks = (rows + p.block - 1) / p.block;
  p.data.assign(blocks * depth * p.block, T(0));
  for (std::size_t m = 0; m < rows; ++m) {
    T* dst = p.data.data() + (m / p.block) * depth * p.block + m % p.block;
    for (std::size_t k = 0; k < depth; ++k) dst[k * p.block] = a[m * row_stride + k * col_stride];
  }
  return p;
}

template <class T>
void slot_gemm(const PackedRows<T>& a, const T* init, const T* src, const std::ptrdiff_t* off,
               const SlotList& s, T* dst, const std::ptrdiff_t* row_off, bool accumulate) {
  if (accumulate) return slot_gemm_impl<T, true>(a, init, src, off, s, dst, row_off);
  slot_gemm_impl<T, false>(a, init, src, off, s, dst, row_off);
}

template <class T>
void slot_gemm_bt(const T* dy, std::size_t rows, std::size_t ldy, const T* src,
                  const std::ptrdiff_t* off, std::size_t depth, const SlotList& s, T* out) {
  if (rows == 0 || depth == 0) return;
  switch (even_block(rows, 4)) {
    case 1:
      return gemm_bt_block_rows<T, 1>(dy, rows, ldy, src, off, depth, s, out);
    case 2:
      return gemm_bt_block_rows<T, 2>(dy, rows, ldy, src, off, depth, s, out);
    case 3:
      return gemm_bt_block_rows<T, 3>(dy, rows, ldy, src, off, depth, s, out);
    default:
      return gemm_bt_block_rows<T, 4>(dy, rows, ldy, src, off, depth, s, out);
  }
}

template <class T>
T sum_fixed_order(const T* x, std::size_t n) {
  using V = typename Simd<T>::V;
  V acc{};
  std::size_t i = 0;
  for (; i + kLanes<T> <= n; i += kLanes<T>) {
    V v;
    std::memcpy(&v, x + i, sizeof v);
    acc += v;
  }
  T total = T(0);
  for (std::size_t l = 0; l < kLanes<T>; ++l) total += acc[l];
  for (; i < n; ++i) total += x[i];
  return total;
}

#define XGRAD_INSTANTIATE(T)                                                                  \
  template PackedRows<T> pack_rows<T>(const T*, std::size_t, std::size_t, std::size_t,        \
                                      std::size_t);                                           \
  template void slot_gemm<T>(const PackedRows<T>&, const T*, const T*, const std::ptrdiff_t*, \
                             const SlotList&, T*, const std::ptrdiff_t*, bool);               \
  template void slot_gemm_bt<T>(const T*, std::size_t, std::size_t, const T*,                 \
                                const std::ptrdiff_t*, std::size_t, const SlotList&, T*);     \
  template T sum_fixed_order<T>(const T*, std::size_t);
XGRAD_INSTANTIATE(float)
XGRAD_INSTANTIATE(double)
#undef XGRAD_INSTANTIATE

}  // namespace xgrad::kernels
