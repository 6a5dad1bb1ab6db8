#include "ops/max_pool2d.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "framework/parallel.h"
#include "framework/record.h"

namespace xgrad {

namespace {

// Planes per task: enough work to be worth a task.
std::size_t plane_grain(const WindowGeometry& g) {
  return std::max<std::size_t>(1, 4096 / std::max<std::size_t>(1, g.in_plane()));
}

// Larger wins, ties keep the first. NanAware: a NaN wins and the first NaN stays. The plain
// `v > top` compiles to branch-free selects; the NaN-propagating compare made GCC branch,
// which mispredicts on random data (about 30x slower), so it runs only on planes with a NaN.
template <class T, bool NanAware>
inline void update(T v, std::size_t a, T& top, std::size_t& best) {
  const bool take = NanAware ? !(v <= top) & (top == top) : v > top;
  const std::size_t mask = std::size_t(0) - std::size_t(take);  // the index by masks: GCC
  best = (a & mask) | (best & ~mask);  // turned `take ? a : best` into a branch
  top = take ? v : top;                // (a max instruction when !NanAware)
}

// One plane: y and the argmax of every output. K > 0: K×K windows without padding, with
// loops the compiler unrolls (the common 2x2 and 3x3 pools); K = 0: any window.
template <class T, bool NanAware, int K>
void pool_plane(const WindowGeometry& g, const T* xp, T* y, std::size_t* arg) {
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
      const std::size_t first = std::size_t(hl * W + wl);
      std::size_t best = first;
      T top = xp[first];
      if constexpr (K > 0) {
        for (int p = 0; p < K; ++p) {
          for (int q = 0; q < K; ++q) {
            const std::size_t a = first + std::size_t(p * W + q);
            update<T, NanAware>(xp[a], a, top, best);
          }
        }
      } else {
        for (std::ptrdiff_t h = hl; h < hh; ++h) {
          for (std::ptrdiff_t w = wl; w < wh; ++w) {
            const std::size_t a = std::size_t(h * W + w);
            update<T, NanAware>(xp[a], a, top, best);
          }
        }
      }
      y[i * OW + j] = top;
      arg[i * OW + j] = best;
    }
  }
}

template <class T, bool NanAware>
void pool_plane_any(const WindowGeometry& g, const T* xp, T* y, std::size_t* arg) {
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
void forward(const WindowGeometry& g, std::size_t planes, const T* x, T* y, std::size_t* arg) {
  const std::size_t in = g.in_plane(), out = g.out_plane();
  parallel_for(0, planes, plane_grain(g), [&](std::size_t p0, std::size_t p1) {
    for (std::size_t pl = p0; pl < p1; ++pl) {
      const T* xp = x + pl * in;
      if (has_nan(xp, in)) {
        pool_plane_any<T, true>(g, xp, y + pl * out, arg + pl * out);
      } else {
        pool_plane_any<T, false>(g, xp, y + pl * out, arg + pl * out);
      }
    }
  });
}

}  // namespace

Tensor max_pool2d(const Tensor& x, const Pool2dOptions& options) {
  check_defined("max_pool2d", x, "input");
  const WindowGeometry g = pool_geometry("max_pool2d", x.shape(), options);
  const Shape& xs = x.shape();
  const std::size_t planes = xs[0] * xs[1], out_plane = g.out_plane();
  Array y = Array::empty({xs[0], xs[1], g.out_h, g.out_w}, x.dtype());
  std::vector<std::size_t> arg(planes * out_plane);
  dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    forward<T>(g, planes, x.value().data<T>(), y.data<T>(), arg.data());
  });
  // The argmax moves into the backward function (plain data, not copied).
  auto backward = [g, planes, arg = std::move(arg)](const Node& node, const Array& dy) {
    Array dx = Array::zeros(node.input(0).shape(), dy.dtype());
    dispatch(dy.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* pdy = dy.data<T>();
      T* pdx = dx.data<T>();
      const std::size_t* a = arg.data();
      const std::size_t in_plane = g.in_plane(), out_plane = g.out_plane();
      parallel_for(0, planes, plane_grain(g), [&](std::size_t p0, std::size_t p1) {
        for (std::size_t pl = p0; pl < p1; ++pl) {
          for (std::size_t o = pl * out_plane; o < (pl + 1) * out_plane; ++o) {
            pdx[pl * in_plane + a[o]] += pdy[o];
          }
        }
      });
    });
    return Grads{std::move(dx)};
  };
  return record("max_pool2d", std::move(y), {x}, std::move(backward));
}

}  // namespace xgrad
