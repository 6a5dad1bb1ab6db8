#include "ops/max.h"

#include <cmath>
#include <vector>

#include "framework/parallel.h"
#include "framework/record.h"
#include "ops/kernels/axis.h"

namespace xgrad {

namespace {
// y[r] = max of row r; arg[r] = position along the axis of its first maximum.
template <class T>
void max_forward(const T* x, T* y, std::size_t* arg, const detail::AxisView& v) {
  parallel_for(0, v.rows(), v.row_grain(), [&](std::size_t r0, std::size_t r1) {
    for (std::size_t r = r0; r < r1; ++r) {
      const T* row = x + v.row_start(r);
      std::size_t best = 0;
      for (std::size_t k = 1; k < v.n && !std::isnan(row[best * v.inner]); ++k) {
        const T value = row[k * v.inner];
        if (value > row[best * v.inner] || std::isnan(value)) best = k;
      }
      y[r] = row[best * v.inner];
      arg[r] = best;
    }
  });
}
}  // namespace

Tensor max(const Tensor& x, int axis, bool keepdims) {
  check_defined("max", x, "input");
  const std::size_t a = detail::normalize_axis("max", axis, x.shape());
  if (x.shape()[a] == 0) {
    throw_shape_error("max", "axis " + std::to_string(axis) + " is empty", "input", x.shape());
  }
  const detail::AxisView v = detail::axis_view(x.shape(), a);
  std::vector<bool> mask(x.dim(), false);
  mask[a] = true;
  Array y = Array::empty(detail::reduced_shape(x.shape(), mask, keepdims), x.dtype());
  std::vector<std::size_t> arg(v.rows());
  dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    max_forward(x.value().data<T>(), y.data<T>(), arg.data(), v);
  });
  return record(
      "max", std::move(y), {x}, [v, arg = std::move(arg)](const Node& out, const Array& dy) {
        // dx[(o, arg, i)] = dy[(o, i)]: one element per row, rows written by one task each.
        Array dx = Array::zeros(out.input(0).shape(), dy.dtype());
        dispatch(dy.dtype(), [&](auto tag) {
          using T = decltype(tag);
          const T* g = dy.data<T>();
          T* d = dx.data<T>();
          parallel_for(0, v.rows(), kElementwiseGrain, [&](std::size_t r0, std::size_t r1) {
            for (std::size_t r = r0; r < r1; ++r) d[v.row_start(r) + arg[r] * v.inner] = g[r];
          });
        });
        return Grads{std::move(dx)};
      });
}

}  // namespace xgrad
