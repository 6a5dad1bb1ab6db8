#include "ops/softmax.h"

#include <algorithm>
#include <cmath>

#include "framework/parallel.h"
#include "framework/record.h"
#include "ops/arithmetic.h"
#include "ops/elementwise.h"
#include "ops/kernels/axis.h"
#include "ops/sum.h"

namespace xgrad {

namespace {
// Calls row(p, stride) with a pointer offset p to element 0 of each row of
// the view and the distance between its elements, rows split across tasks.
template <class F>
void for_each_row(const detail::AxisView& v, F row) {
  if (v.n == 0) return;  // empty rows: nothing to read or write
  parallel_for(0, v.rows(), v.row_grain(kTranscendentalGrain), [&](std::size_t r0, std::size_t r1) {
    for (std::size_t r = r0; r < r1; ++r) row(v.row_start(r), v.inner);
  });
}

// y = softmax (or log-softmax) of x along the view's axis.
Array softmax_forward_kernel(const Array& x, const detail::AxisView& v, bool is_log) {
  Array y = Array::empty(x.shape(), x.dtype());
  dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* px = x.data<T>();
    T* py = y.data<T>();
    for_each_row(v, [&](std::size_t start, std::size_t s) {
      const T* xr = px + start;
      T* yr = py + start;
      T m = xr[0];
      for (std::size_t k = 1; k < v.n; ++k) m = std::max(m, xr[k * s]);
      T total = 0;
      for (std::size_t k = 0; k < v.n; ++k) {
        yr[k * s] = std::exp(xr[k * s] - m);
        total += yr[k * s];
      }
      if (is_log) {
        const T shift = m + std::log(total);
        for (std::size_t k = 0; k < v.n; ++k) yr[k * s] = xr[k * s] - shift;
      } else {
        for (std::size_t k = 0; k < v.n; ++k) yr[k * s] /= total;
      }
    });
  });
  return y;
}

// dx from the saved output y and dy (see the header for both formulas).
Array softmax_backward_kernel(const Array& y, const Array& dy, const detail::AxisView& v,
                              bool is_log) {
  Array dx = Array::empty(y.shape(), y.dtype());
  dispatch(y.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* py = y.data<T>();
    const T* pg = dy.data<T>();
    T* pd = dx.data<T>();
    for_each_row(v, [&](std::size_t start, std::size_t s) {
      const T* yr = py + start;
      const T* gr = pg + start;
      T* dr = pd + start;
      T dot = 0;
      for (std::size_t k = 0; k < v.n; ++k) dot += is_log ? gr[k * s] : gr[k * s] * yr[k * s];
      for (std::size_t k = 0; k < v.n; ++k) {
        const std::size_t i = k * s;
        dr[i] = is_log ? gr[i] - std::exp(yr[i]) * dot : yr[i] * (gr[i] - dot);
      }
    });
  });
  return dx;
}

Tensor softmax_op(const char* op, const Tensor& x, std::int64_t axis, bool is_log) {
  check_float(op, x);
  const detail::AxisView v =
      detail::axis_view(x.shape(), detail::normalize_axis(op, axis, x.shape()));
  return record(op, softmax_forward_kernel(x.value(), v, is_log), {x},
                [axis, is_log](const Node& out, const Tensor& dy) {
                  return Grads{is_log ? log_softmax_backward(dy, out.output(), axis)
                                      : softmax_backward(dy, out.output(), axis)};
                });
}

Tensor softmax_backward_op(const char* op, const Tensor& dy, const Tensor& y, std::int64_t axis,
                           bool is_log) {
  check_same_dtype(op, dy, y, "gradient", "output");
  if (dy.shape() != y.shape()) {
    throw_shape_error(op, "shapes must match", "gradient", dy.shape(), "output", y.shape());
  }
  const detail::AxisView v =
      detail::axis_view(y.shape(), detail::normalize_axis(op, axis, y.shape()));
  Array dx = softmax_backward_kernel(y.value(), dy.value(), v, is_log);
  // Second derivatives (Σ along the axis, per row; p = softmax = exp(y) for log_softmax):
  //   softmax:     dx = y (dy - s), s = Σ dy y:  d/d(dy) = softmax_backward(g, y)
  //                (J = diag(y) - y yᵀ is symmetric); d/dy = g (dy - s) - (Σ g y) dy
  //   log_softmax: dx = dy - p Σ dy:  d/d(dy) = g - Σ g p;  d/dy = -g p Σ dy
  return record(op, std::move(dx), {dy, y}, [axis, is_log](const Node& out, const Tensor& g) {
    const Tensor dy = out.input(0), y = out.input(1);
    const Axes ax{axis};
    Tensor d_dy, d_y;
    if (is_log) {
      const Tensor p = exp(y);
      if (out.needs_grad(0)) d_dy = sub(g, sum(mul(g, p), ax, true));
      if (out.needs_grad(1)) d_y = neg(mul(mul(g, p), sum(dy, ax, true)));
    } else {
      if (out.needs_grad(0)) d_dy = softmax_backward(g, y, axis);
      if (out.needs_grad(1)) {
        d_y = sub(mul(g, sub(dy, sum(mul(dy, y), ax, true))), mul(sum(mul(g, y), ax, true), dy));
      }
    }
    return Grads{d_dy, d_y};
  });
}
}  // namespace

Tensor softmax(const Tensor& x, std::int64_t axis) { return softmax_op("softmax", x, axis, false); }

Tensor log_softmax(const Tensor& x, std::int64_t axis) {
  return softmax_op("log_softmax", x, axis, true);
}

Tensor softmax_backward(const Tensor& dy, const Tensor& y, std::int64_t axis) {
  return softmax_backward_op("softmax_backward", dy, y, axis, false);
}

Tensor log_softmax_backward(const Tensor& dy, const Tensor& y, std::int64_t axis) {
  return softmax_backward_op("log_softmax_backward", dy, y, axis, true);
}

}  // namespace xgrad
