#include "ops/max_pool2d.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "framework/parallel.h"
#include "framework/record.h"

namespace xgrad {

namespace {

// Planes per task: enough work to be worth a task.
std::size_t plane_grain(const WindowGeometry& g) {
  return std::max<std::size_t>(1, 4096 / std::max<std::size_t>(1, g.in_plane()));
}

// y and the argmax (index inside the plane) of every output, plane by plane.
template <class T>
void forward(const WindowGeometry& g, std::size_t planes, const T* x, T* y, std::size_t* arg) {
  const std::size_t oh = g.out_h, ow = g.out_w;
  parallel_for(0, planes, plane_grain(g), [&](std::size_t p0, std::size_t p1) {
    for (std::size_t pl = p0; pl < p1; ++pl) {
      const T* xp = x + pl * g.in_plane();
      for (std::size_t i = 0; i < oh; ++i) {
        // the window's rows and columns inside the image (padding reads −∞: skipped)
        const std::ptrdiff_t h0 = std::ptrdiff_t(i * g.stride[0]) - std::ptrdiff_t(g.padding[0]);
        const std::size_t hl = std::size_t(std::max<std::ptrdiff_t>(h0, 0));
        const std::size_t hh =
            std::min<std::size_t>(g.in_h, std::size_t(h0 + std::ptrdiff_t(g.kernel[0])));
        for (std::size_t j = 0; j < ow; ++j) {
          const std::ptrdiff_t w0 = std::ptrdiff_t(j * g.stride[1]) - std::ptrdiff_t(g.padding[1]);
          const std::size_t wl = std::size_t(std::max<std::ptrdiff_t>(w0, 0));
          const std::size_t wh =
              std::min<std::size_t>(g.in_w, std::size_t(w0 + std::ptrdiff_t(g.kernel[1])));
          std::size_t best = hl * g.in_w + wl;
          for (std::size_t h = hl; h < hh; ++h) {
            for (std::size_t w = wl; w < wh; ++w) {
              const std::size_t a = h * g.in_w + w;
              if (xp[a] > xp[best] || (std::isnan(xp[a]) && !std::isnan(xp[best]))) best = a;
            }
          }
          const std::size_t o = pl * oh * ow + i * ow + j;
          y[o] = xp[best];
          arg[o] = best;
        }
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
    return make_grads(std::move(dx));
  };
  return record("max_pool2d", std::move(y), {x}, std::move(backward));
}

}  // namespace xgrad
