#include "ops/max_pool2d.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <type_traits>
#include <vector>

#include "framework/parallel.h"
#include "framework/record.h"
#include "ops/kernels/conv_geometry.h"

namespace xgrad {

namespace {

// Argmax positions inside a plane. 32 bits halve the saved memory and let the 2x2 kernel
// vectorise (float and index lanes of the same width); max_pool2d checks the plane fits.
using Index = std::uint32_t;

// Planes per task: enough work to be worth a task.
std::size_t plane_grain(const WindowGeometry& g) {
  return std::max<std::size_t>(1, 4096 / std::max<std::size_t>(1, g.in_plane()));
}

// Larger wins, ties keep the first. NanAware: a NaN wins and the first NaN stays. The plain
// `v > top` compiles to branch-free selects; the NaN-propagating compare made GCC branch,
// which mispredicts on random data (about 30x slower), so it runs only on planes with a NaN.
template <class T, bool NanAware>
inline void update(T v, Index a, T& top, Index& best) {
  const bool take = NanAware ? !(v <= top) & (top == top) : v > top;
  const Index mask = Index(0) - Index(take);  // the index by masks: GCC
  best = (a & mask) | (best & ~mask);         // turned `take ? a : best` into a branch
  top = take ? v : top;                       // (a max instruction when !NanAware)
}

// One plane: y and the argmax of every output. K > 0: K×K windows without padding, with
// loops the compiler unrolls (the common 2x2 and 3x3 pools); K = 0: any window.
template <class T, bool NanAware, int K>
void pool_plane(const WindowGeometry& g, const T* xp, T* y, Index* arg) {
  // locals, not g's fields: the stores to y and arg could alias g and force reloads
  const std::ptrdiff_t H = std::ptrdiff_t(g.in_h), W = std::ptrdiff_t(g.in_w);
  const std::ptrdiff_t KH = std::ptrdiff_t(g.kernel[0]), KW = std::ptrdiff_t(g.kernel[1]);
  const std::ptrdiff_t SH = std::ptrdiff_t(g.stride[0]), SW = std::ptrdiff_t(g.stride[1]);
  const std::ptrdiff_t PH = std::ptrdiff_t(g.padding[0]), PW = std::ptrdiff_t(g.padding[1]);
  const std::size_t OH = g.out_h, OW = g.out_w;
  for (std::size_t i = 0; i < OH; ++i) {
    // the window's rows and columns inside the image (padding reads −∞: skipped)
    const std::ptrdiff_t h0 = std::ptrdiff_t(i) * SH - PH;
    const std::ptrdiff_t hl = std::max<std::ptrdiff_t>(h0, 0), hh = std::min(H, h0 + KH);
    for (std::size_t j = 0; j < OW; ++j) {
      const std::ptrdiff_t w0 = std::ptrdiff_t(j) * SW - PW;
      const std::ptrdiff_t wl = std::max<std::ptrdiff_t>(w0, 0), wh = std::min(W, w0 + KW);
      const Index first = Index(hl * W + wl);
      Index best = first;
      T top = xp[first];
      if constexpr (K > 0) {
        for (int p = 0; p < K; ++p) {
          for (int q = 0; q < K; ++q) {
            const Index a = first + Index(p * W + q);
            update<T, NanAware>(xp[a], a, top, best);
          }
        }
      } else {
        for (std::ptrdiff_t h = hl; h < hh; ++h) {
          for (std::ptrdiff_t w = wl; w < wh; ++w) {
            const Index a = Index(h * W + w);
            update<T, NanAware>(xp[a], a, top, best);
          }
        }
      }
      y[i * OW + j] = top;
      arg[i * OW + j] = best;
    }
  }
}

// The common 2x2 pool with stride 2 and no padding, NaN-free, over `planes` consecutive
// planes at once, in two passes the compiler vectorises: (1) over every pair of
// neighbours (x[2q], x[2q + 1]) of the block, one flat loop: the larger of the two and
// whether it was the right one; (2) per output row, the larger of the pair above and the
// pair below. Ties keep the first in row-major order, as pool_plane: left over right,
// then top over bottom. With an odd width, a row starts at an odd offset every other row:
// its pairs are (x[2q + 1], x[2q + 2]), a second flat pass (odd sides went through a
// scalar loop per window before: 1.4-1.7x slower on the 11x11 maps of a 3x3-kernel
// CNN's conv2). `pairs` holds each pass's scratch, planes * in_plane / 2 + kLanes
// elements (the slack is read, never used). Either pass reads every element but one, so
// the two find any NaN; one in a row or column no window covers (odd sides) sends the
// block to the plain loop, which ignores it.
constexpr std::size_t kLanes = 16;
constexpr std::size_t kBlockPairs = 2048;  // pairs per block: 2 x 8 KiB of float scratch

template <class T>
struct PairScratch {
  std::vector<T> larger;
  std::vector<Index> right;  // 1 where the right one of the pair is larger
};

// Pass (1) over `count` pairs (x[2q], x[2q + 1]); returns nonzero if one holds a NaN.
template <class T>
Index pair_pass(const T* x, std::size_t count, T* larger, Index* right) {
  Index nan = 0;  // an integer (a bool stopped the vectoriser)
  for (std::size_t p = 0; p < count; ++p) {
    const T l = x[2 * p], r = x[2 * p + 1];
    larger[p] = r > l ? r : l;
    right[p] = Index(r > l);
    nan |= Index(l != l) | Index(r != r);
  }
  return nan;
}

// Pass (2): each output row from its two rows of pairs, in blocks of kLanes outputs, so
// each block is one vector instruction per step even for the short rows of small maps
// (blocks of 8 for rows of up to 8 outputs were slower: 1.2x on 11x11 maps' rows of
// 5). A row's block may read past its end into the next row (or the scratch's
// slack) and write past it into the next row's outputs, which that row then overwrites;
// only the last block of the range goes through `ys`/`as`.
template <class T>
void window_pass(const WindowGeometry& g, std::size_t planes, const PairScratch<T> (&pairs)[2],
                 T* y, Index* arg) {
  const std::size_t H = g.in_h, W = g.in_w, OH = g.out_h, OW = g.out_w;
  const std::size_t total = planes * OH * OW;
  T ys[kLanes];
  Index as[kLanes];
  // row = plane * OH + r, s = the window row's first element (no division per row)
  for (std::size_t row = 0, r = 0, s = 0; row < planes * OH; ++row) {
    const PairScratch<T>& ptop = pairs[s % 2];
    const PairScratch<T>& pbottom = pairs[(s + W) % 2];
    const T* top = ptop.larger.data() + s / 2;
    const T* bottom = pbottom.larger.data() + (s + W) / 2;
    const Index* rt = ptop.right.data() + s / 2;
    const Index* rb = pbottom.right.data() + (s + W) / 2;
    const Index base = Index(2 * r * W);  // inside the plane
    for (std::size_t j0 = 0; j0 < OW; j0 += kLanes) {
      const std::size_t o = row * OW + j0;
      const bool inside = o + kLanes <= total;
      T* yo = inside ? y + o : ys;
      Index* ao = inside ? arg + o : as;
      for (std::size_t l = 0; l < kLanes; ++l) {
        const std::size_t j = j0 + l;
        const bool down = bottom[j] > top[j];
        const Index mask = Index(0) - Index(down);  // by masks: no branch to mispredict
        yo[l] = down ? bottom[j] : top[j];
        ao[l] = base + Index(2 * j) + (((Index(W) + rb[j]) & mask) | (rt[j] & ~mask));
      }
      if (!inside) {
        std::copy_n(ys, total - o, y + o);
        std::copy_n(as, total - o, arg + o);
      }
    }
    if (++r == OH) {  // the next plane
      r = 0;
      s += (H - 2 * (OH - 1)) * W;
    } else {
      s += 2 * W;
    }
  }
}

// Returns false, having written nothing, if the planes hold a NaN.
template <class T>
bool pool_planes_2x2(const WindowGeometry& g, std::size_t planes, const T* x, T* y, Index* arg,
                     PairScratch<T> (&pairs)[2]) {
  const std::size_t n = planes * g.in_plane();
  Index nan = pair_pass(x, n / 2, pairs[0].larger.data(), pairs[0].right.data());
  if (g.in_w % 2 != 0) {
    nan |= pair_pass(x + 1, (n - 1) / 2, pairs[1].larger.data(), pairs[1].right.data());
  }
  if (nan != 0) return false;
  window_pass<T>(g, planes, pairs, y, arg);
  return true;
}

template <class T, bool NanAware>
void pool_plane_any(const WindowGeometry& g, const T* xp, T* y, Index* arg) {
  const bool unpadded = g.padding[0] == 0 && g.padding[1] == 0;
  if (unpadded && g.kernel == Size2{2, 2}) return pool_plane<T, NanAware, 2>(g, xp, y, arg);
  if (unpadded && g.kernel == Size2{3, 3}) return pool_plane<T, NanAware, 3>(g, xp, y, arg);
  pool_plane<T, NanAware, 0>(g, xp, y, arg);
}

// Whether x[0..n) holds a NaN, from the bits (an integer compare the compiler vectorises).
template <class T>
bool has_nan(const T* x, std::size_t n) {
  using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  const U magnitude = ~U(0) >> 1;
  const U inf = sizeof(T) == 4 ? U(0x7f800000u) : U(0x7ff0000000000000ull);
  U any = 0;
  for (std::size_t k = 0; k < n; ++k) {
    U b;
    std::memcpy(&b, x + k, sizeof b);
    any |= U((b & magnitude) > inf);
  }
  return any != 0;
}

// y and the argmax (index inside the plane) of every output, plane by plane.
template <class T>
void forward(const WindowGeometry& g, std::size_t planes, const T* x, T* y, Index* arg) {
  const std::size_t in = g.in_plane(), out = g.out_plane();
  const bool two_by_two =
      g.kernel == Size2{2, 2} && g.stride == Size2{2, 2} && g.padding == Size2{0, 0};
  // The 2x2 path works on blocks of planes whose scratch stays in L1 (a scratch of the
  // task's whole share, allocated per call on the worker, made 2 threads slower than 1).
  const std::size_t block = two_by_two ? std::max<std::size_t>(1, kBlockPairs / (in / 2)) : 1;
  parallel_for(0, planes, plane_grain(g), [&](std::size_t p0, std::size_t p1) {
    PairScratch<T> pairs[2];
    if (two_by_two) {
      const std::size_t size = std::min(block, p1 - p0) * in / 2 + kLanes;
      for (int phase = 0; phase < (g.in_w % 2 != 0 ? 2 : 1); ++phase) {
        pairs[phase].larger.assign(size, T(0));
        pairs[phase].right.assign(size, 0);
      }
    }
    for (std::size_t b0 = p0; b0 < p1; b0 += block) {
      const std::size_t b1 = std::min(p1, b0 + block);
      if (two_by_two &&
          pool_planes_2x2<T>(g, b1 - b0, x + b0 * in, y + b0 * out, arg + b0 * out, pairs)) {
        continue;
      }
      for (std::size_t pl = b0; pl < b1; ++pl) {
        const T* xp = x + pl * in;
        if (has_nan(xp, in)) {
          pool_plane_any<T, true>(g, xp, y + pl * out, arg + pl * out);
        } else {
          pool_plane_any<T, false>(g, xp, y + pl * out, arg + pl * out);
        }
      }
    }
  });
}

using ArgPtr = std::shared_ptr<const Index[]>;

Tensor select_at_argmax(const Tensor& g, const ArgPtr& arg, const WindowGeometry& geo,
                        const Shape& out_shape);

// dx (x's shape): each plane's dy scattered onto its argmax positions
// (overlapping windows may share one: their gradients add, in output order).
// Linear in dy; its gradient is select_at_argmax.
Tensor scatter_to_argmax(const Tensor& dy, const ArgPtr& arg, const WindowGeometry& geo,
                         const Shape& in_shape) {
  const std::size_t planes = in_shape[0] * in_shape[1];
  Array dx = Array::empty(in_shape, dy.dtype());
  dispatch(dy.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* pdy = dy.value().data<T>();
    T* pdx = dx.data<T>();
    const Index* a = arg.get();
    const std::size_t in_plane = geo.in_plane(), out_plane = geo.out_plane();
    parallel_for(0, planes, plane_grain(geo), [&](std::size_t p0, std::size_t p1) {
      // zeroed by the task that scatters into it: the lines stay in its core's cache
      std::fill(pdx + p0 * in_plane, pdx + p1 * in_plane, T(0));
      for (std::size_t pl = p0; pl < p1; ++pl) {
        for (std::size_t o = pl * out_plane; o < (pl + 1) * out_plane; ++o) {
          pdx[pl * in_plane + a[o]] += pdy[o];
        }
      }
    });
  });
  const Shape out_shape = dy.shape();
  return record("max_pool2d_backward", std::move(dx), {dy},
                [arg, geo, out_shape](const Node&, const Tensor& g) {
                  return Grads{select_at_argmax(g, arg, geo, out_shape)};
                });
}

// y (the pooled shape): each output reads g at its window's argmax. The
// adjoint of scatter_to_argmax, and its gradient.
Tensor select_at_argmax(const Tensor& g, const ArgPtr& arg, const WindowGeometry& geo,
                        const Shape& out_shape) {
  const std::size_t planes = out_shape[0] * out_shape[1];
  Array y = Array::empty(out_shape, g.dtype());
  dispatch(g.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* pg = g.value().data<T>();
    T* py = y.data<T>();
    const Index* a = arg.get();
    const std::size_t in_plane = geo.in_plane(), out_plane = geo.out_plane();
    parallel_for(0, planes, plane_grain(geo), [&](std::size_t p0, std::size_t p1) {
      for (std::size_t pl = p0; pl < p1; ++pl) {
        for (std::size_t o = pl * out_plane; o < (pl + 1) * out_plane; ++o) {
          py[o] = pg[pl * in_plane + a[o]];
        }
      }
    });
  });
  const Shape in_shape = g.shape();
  return record("max_pool2d_select", std::move(y), {g},
                [arg, geo, in_shape](const Node&, const Tensor& dy) {
                  return Grads{scatter_to_argmax(dy, arg, geo, in_shape)};
                });
}

}  // namespace

Tensor max_pool2d(const Tensor& x, const Pool2dOptions& options) {
  check_float("max_pool2d", x);
  const WindowGeometry g = pool_geometry("max_pool2d", x.shape(), options);
  const Shape& xs = x.shape();
  const std::size_t planes = xs[0] * xs[1], out_plane = g.out_plane();
  Array y = Array::empty({xs[0], xs[1], g.out_h, g.out_w}, x.dtype());
  if (g.in_plane() > std::numeric_limits<Index>::max()) {
    throw_shape_error("max_pool2d", "a plane (H x W) must have fewer than 2^32 elements", "input",
                      xs);
  }
  std::shared_ptr<Index[]> arg(new Index[planes * out_plane]);  // every element is written
  dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    forward<T>(g, planes, x.value().data<T>(), y.data<T>(), arg.get());
  });
  // The argmax moves into the backward function (plain data, not copied);
  // the gradient is max_pool2d_backward, whose own gradient selects at the
  // argmax again: max pooling is piecewise linear, its second derivative 0.
  const Shape in_shape = xs;
  return record("max_pool2d", std::move(y), {x},
                [g, in_shape, arg = ArgPtr(std::move(arg))](const Node&, const Tensor& dy) {
                  return Grads{scatter_to_argmax(dy, arg, g, in_shape)};
                });
}

}  // namespace xgrad
