#include "ops/max_pool2d.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <type_traits>

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

// The common 2x2 pool with stride 2 and no padding (any sides), NaN-free.
constexpr std::size_t kLanes = 16;
// Input elements per call of pool_rows_2x2 (whole planes): a NaN sends only that block of
// planes to the plain loop.
constexpr std::size_t kBlockElements = 4096;

// One pass per output row, in blocks of kLanes windows, each block a fixed-length loop
// the compiler vectorises (the pairs' loads by permutes): per window, the larger of each
// column's two (top on a tie) and then of the two columns. The first maximum in
// row-major order wins, as in pool_plane: on a tie between the columns the left one, unless
// its winner is the bottom and the right one's the top. A block may read past its row
// (into the next row, or a copy when the planes' end is near) and write past it into the
// next row's outputs, which that row then overwrites; near the end it writes to `ys`/`as`.
// Returns false if the planes hold a NaN in a window (some outputs may be written).
template <class T>
bool pool_rows_2x2(const WindowGeometry& g, std::size_t planes, const T* x, T* y, Index* arg) {
  const std::size_t H = g.in_h, W = g.in_w, OH = g.out_h, OW = g.out_w;
  const std::size_t n = planes * H * W, total = planes * OH * OW;
  T ys[kLanes], tails[2][2 * kLanes] = {};
  Index as[kLanes];
  Index nan = 0;  // an integer (a bool stopped the vectoriser)
  // row = plane * OH + r, s = the window row's first element (no division per row)
  for (std::size_t row = 0, r = 0, s = 0; row < planes * OH; ++row) {
    const Index base = Index(2 * r * W);  // inside the plane
    for (std::size_t j0 = 0; j0 < OW; j0 += kLanes) {
      const T* top = x + s + 2 * j0;
      const T* bottom = top + W;
      if (s + W + 2 * (j0 + kLanes) > n) {  // the block would read past the planes
        const std::size_t count = std::min(2 * kLanes, n - (s + W + 2 * j0));
        std::copy_n(top, count, tails[0]);
        std::copy_n(bottom, count, tails[1]);
        top = tails[0];
        bottom = tails[1];
      }
      const std::size_t o = row * OW + j0;
      const bool inside = o + kLanes <= total;
      T* yo = inside ? y + o : ys;
      Index* ao = inside ? arg + o : as;
      Index block_nan = 0;
      for (std::size_t l = 0; l < kLanes; ++l) {
        const T t0 = top[2 * l], t1 = top[2 * l + 1], b0 = bottom[2 * l], b1 = bottom[2 * l + 1];
        const Index d0 = Index(b0 > t0), d1 = Index(b1 > t1);  // the bottom wins the column
        const T m0 = d0 != 0 ? b0 : t0, m1 = d1 != 0 ? b1 : t1;
        const Index right = Index(m1 > m0) | (Index(m1 == m0) & d0 & (d1 ^ 1));
        yo[l] = right != 0 ? m1 : m0;
        const Index d = right != 0 ? d1 : d0;  // by selects: no branch to mispredict
        ao[l] = base + Index(2 * (j0 + l)) + right + ((Index(0) - d) & Index(W));
        const Index any = Index(t0 != t0) | Index(t1 != t1) | Index(b0 != b0) | Index(b1 != b1);
        block_nan |= any & Index(j0 + l < OW);  // lanes past the row read other windows
      }
      nan |= block_nan;
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
  return nan == 0;
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
  const std::size_t block = two_by_two ? std::max<std::size_t>(1, kBlockElements / in) : 1;
  parallel_for(0, planes, plane_grain(g), [&](std::size_t p0, std::size_t p1) {
    for (std::size_t b0 = p0; b0 < p1; b0 += block) {
      const std::size_t b1 = std::min(p1, b0 + block);
      if (two_by_two && pool_rows_2x2<T>(g, b1 - b0, x + b0 * in, y + b0 * out, arg + b0 * out)) {
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
