#include "ops/max.h"

#include <cmath>
#include <vector>

#include "framework/parallel.h"
#include "framework/record.h"
#include "framework/grad_mode.h"
#include "ops/arithmetic.h"
#include "ops/expand.h"
#include "ops/kernels/axis.h"
#include "ops/reshape.h"

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
  check_float("max", x);
  const std::size_t a = detail::normalize_axis("max", axis, x.shape());
  if (x.shape()[a] == 0) {
    throw_shape_error("max", "axis " + std::to_string(axis) + " is empty", "input", x.shape());
  }
  const detail::AxisView v = detail::axis_view(x.shape(), a);
  std::vector<bool> mask_axes(x.dim(), false);
  mask_axes[a] = true;
  Array y = Array::empty(detail::reduced_shape(x.shape(), mask_axes, keepdims), x.dtype());
  std::vector<std::size_t> arg(v.rows());
  dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    max_forward(x.value().data<T>(), y.data<T>(), arg.data(), v);
  });
  // dx = mask · dy (dy with the axis reinserted, expanded): the mask, a
  // constant leaf (no inputs: it cannot make a cycle) with a 1 at each
  // row's argmax, is built only when the op is recorded.
  Tensor mask;
  if (is_grad_enabled() && x.requires_grad()) {
    Array m = Array::zeros(x.shape(), x.dtype());
    dispatch(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pm = m.data<T>();
      parallel_for(0, v.rows(), kElementwiseGrain, [&](std::size_t r0, std::size_t r1) {
        for (std::size_t r = r0; r < r1; ++r) pm[v.row_start(r) + arg[r] * v.inner] = T(1);
      });
    });
    mask = Tensor(std::move(m));
  }
  const Shape kept = detail::reduced_shape(x.shape(), mask_axes, true);
  const std::vector<std::int64_t> kept_shape(kept.begin(), kept.end());
  return record("max", std::move(y), {x}, [kept_shape, mask](const Node& out, const Tensor& dy) {
    return Grads{mul(broadcast_to(reshape(dy, kept_shape), out.input_shape(0)), mask)};
  });
}

}  // namespace xgrad
