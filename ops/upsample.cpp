#include "ops/upsample.h"

#include <algorithm>
#include <string>

#include "framework/parallel.h"
#include "framework/record.h"

namespace xgrad {

namespace {
void check_scale(const char* op, Size2 s) {
  if (s[0] == 0 || s[1] == 0) throw_value_error(op, "scale factors must be positive");
}
}  // namespace

Tensor upsample_nearest2d(const Tensor& x, Size2 s) {
  const char* op = "upsample_nearest2d";
  check_float(op, x);
  check_scale(op, s);
  if (x.dim() != 4) throw_shape_error(op, "input must be 4-D (N, C, H, W)", "input", x.shape());
  const Shape& xs = x.shape();
  const std::size_t h = xs[2], w = xs[3], oh = h * s[0], ow = w * s[1];
  Array y = Array::empty({xs[0], xs[1], oh, ow}, x.dtype());
  dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* px = x.value().data<T>();
    T* py = y.data<T>();
    // One output row per step.
    parallel_for(0, xs[0] * xs[1] * oh,
                 std::max<std::size_t>(1, kElementwiseGrain / std::max<std::size_t>(1, ow)),
                 [&](std::size_t r0, std::size_t r1) {
                   for (std::size_t r = r0; r < r1; ++r) {
                     const std::size_t plane = r / oh, i = r % oh;
                     const T* src = px + (plane * h + i / s[0]) * w;
                     T* dst = py + r * ow;
                     for (std::size_t j = 0; j < ow; ++j) dst[j] = src[j / s[1]];
                   }
                 });
  });
  return record(op, std::move(y), {x}, [s](const Node&, const Tensor& dy) {
    return Grads{upsample_nearest2d_backward(dy, s)};
  });
}

Tensor upsample_nearest2d(const Tensor& x, std::size_t scale_factor) {
  return upsample_nearest2d(x, Size2{scale_factor, scale_factor});
}

Tensor upsample_nearest2d_backward(const Tensor& dy, Size2 s) {
  const char* op = "upsample_nearest2d_backward";
  check_float(op, dy, "gradient");
  check_scale(op, s);
  const Shape& gs = dy.shape();
  if (dy.dim() != 4 || gs[2] % s[0] != 0 || gs[3] % s[1] != 0) {
    throw_shape_error(op,
                      "gradient must be 4-D with H, W divisible by the scale (" +
                          std::to_string(s[0]) + ", " + std::to_string(s[1]) + ")",
                      "gradient", gs);
  }
  const std::size_t oh = gs[2], ow = gs[3], h = oh / s[0], w = ow / s[1];
  Array dx = Array::empty({gs[0], gs[1], h, w}, dy.dtype());
  dispatch(dy.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* pg = dy.value().data<T>();
    T* pd = dx.data<T>();
    // One input row per step: it sums its s0 output rows, each block in a fixed order.
    parallel_for(0, gs[0] * gs[1] * h,
                 std::max<std::size_t>(1, kElementwiseGrain / std::max<std::size_t>(1, ow * s[0])),
                 [&](std::size_t r0, std::size_t r1) {
                   for (std::size_t r = r0; r < r1; ++r) {
                     const std::size_t plane = r / h, i = r % h;
                     T* dst = pd + r * w;
                     std::fill_n(dst, w, T(0));
                     for (std::size_t a = 0; a < s[0]; ++a) {
                       const T* src = pg + (plane * oh + i * s[0] + a) * ow;
                       for (std::size_t j = 0; j < ow; ++j) dst[j / s[1]] += src[j];
                     }
                   }
                 });
  });
  return record(op, std::move(dx), {dy},
                [s](const Node&, const Tensor& g) { return Grads{upsample_nearest2d(g, s)}; });
}

}  // namespace xgrad
