#include "ops/avg_pool2d.h"

#include <algorithm>

#include "framework/parallel.h"
#include "framework/record.h"
#include "ops/kernels/conv_geometry.h"

namespace xgrad {

namespace {

// The window of output (i, j) clipped to the image: rows [h0, h1), columns [w0, w1).
struct Clip {
  std::size_t h0, h1, w0, w1;
};
Clip clip(const WindowGeometry& g, std::size_t i, std::size_t j) {
  auto axis = [](std::size_t o, std::size_t s, std::size_t p, std::size_t k, std::size_t in) {
    const std::ptrdiff_t lo = std::ptrdiff_t(o * s) - std::ptrdiff_t(p);
    return std::make_pair(std::size_t(std::max<std::ptrdiff_t>(lo, 0)),
                          std::min(in, std::size_t(lo + std::ptrdiff_t(k))));
  };
  const auto h = axis(i, g.stride[0], g.padding[0], g.kernel[0], g.in_h);
  const auto w = axis(j, g.stride[1], g.padding[1], g.kernel[1], g.in_w);
  return {h.first, h.second, w.first, w.second};
}

std::size_t plane_grain(const WindowGeometry& g) {
  return std::max<std::size_t>(1, 4096 / std::max<std::size_t>(1, g.in_plane()));
}

// y = window sums / (KH·KW), or (adjoint) dx += dy / (KH·KW) over each window.
template <class T, bool Adjoint>
void pool(const WindowGeometry& g, std::size_t planes, const T* in, T* out) {
  const T scale = T(1) / T(g.kernel[0] * g.kernel[1]);
  parallel_for(0, planes, plane_grain(g), [&](std::size_t p0, std::size_t p1) {
    for (std::size_t pl = p0; pl < p1; ++pl) {
      for (std::size_t i = 0; i < g.out_h; ++i) {
        for (std::size_t j = 0; j < g.out_w; ++j) {
          const Clip c = clip(g, i, j);
          const std::size_t o = (pl * g.out_h + i) * g.out_w + j;
          if (Adjoint) {
            T* dx = out + pl * g.in_plane();
            const T d = in[o] * scale;
            for (std::size_t h = c.h0; h < c.h1; ++h) {
              for (std::size_t w = c.w0; w < c.w1; ++w) dx[h * g.in_w + w] += d;
            }
            continue;
          }
          const T* x = in + pl * g.in_plane();
          T sum = T(0);
          for (std::size_t h = c.h0; h < c.h1; ++h) {
            for (std::size_t w = c.w0; w < c.w1; ++w) sum += x[h * g.in_w + w];
          }
          out[o] = sum * scale;
        }
      }
    }
  });
}

// dx (x's shape): every window's dy / (KH·KW) added onto the window. The
// adjoint of avg_pool2d: its gradient is avg_pool2d again.
Tensor avg_pool2d_backward(const Tensor& dy, const WindowGeometry& geo, const Shape& in_shape,
                           const Pool2dOptions& options) {
  Array dx = Array::zeros(in_shape, dy.dtype());
  dispatch(dy.dtype(), [&](auto tag) {
    using T = decltype(tag);
    pool<T, true>(geo, in_shape[0] * in_shape[1], dy.value().data<T>(), dx.data<T>());
  });
  return record("avg_pool2d_backward", std::move(dx), {dy},
                [options](const Node&, const Tensor& g) { return Grads{avg_pool2d(g, options)}; });
}

}  // namespace

Tensor avg_pool2d(const Tensor& x, const Pool2dOptions& options) {
  check_float("avg_pool2d", x);
  const WindowGeometry g = pool_geometry("avg_pool2d", x.shape(), options);
  const Shape& xs = x.shape();
  const std::size_t planes = xs[0] * xs[1];
  Array y = Array::empty({xs[0], xs[1], g.out_h, g.out_w}, x.dtype());
  dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    pool<T, false>(g, planes, x.value().data<T>(), y.data<T>());
  });
  const Shape in_shape = xs;
  return record("avg_pool2d", std::move(y), {x},
                [g, in_shape, options](const Node&, const Tensor& dy) {
                  return Grads{avg_pool2d_backward(dy, g, in_shape, options)};
                });
}

}  // namespace xgrad
