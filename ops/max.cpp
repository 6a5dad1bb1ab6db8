#include "ops/max.h"

#include <cmath>
#include <string>
#include <vector>

#include "framework/grad_mode.h"
#include "framework/parallel.h"
#include "framework/record.h"
#include "ops/arithmetic.h"
#include "ops/expand.h"
#include "ops/kernels/axis.h"
#include "ops/reshape.h"

namespace xgrad {

namespace {

// arg[r] = position along the axis of the first maximum (minimum unless
// `is_max`) of row r, a NaN counting as both; y[r] = that value if y is given.
template <class T>
void extremum_forward(const T* x, T* y, std::int64_t* arg, const detail::AxisView& v, bool is_max) {
  parallel_for(0, v.rows(), v.row_grain(), [&](std::size_t r0, std::size_t r1) {
    for (std::size_t r = r0; r < r1; ++r) {
      const T* row = x + v.row_start(r);
      std::size_t best = 0;
      for (std::size_t k = 1; k < v.n && !std::isnan(row[best * v.inner]); ++k) {
        const T value = row[k * v.inner];
        if ((is_max ? value > row[best * v.inner] : value < row[best * v.inner]) ||
            std::isnan(value)) {
          best = k;
        }
      }
      if (y) y[r] = row[best * v.inner];
      arg[r] = std::int64_t(best);
    }
  });
}

struct Reduced {
  std::size_t axis;
  detail::AxisView view;
  Shape out_shape;   // without the axis (or with it as 1 when keepdims)
  Shape kept_shape;  // with the axis as 1
};

Reduced plan(const char* op, const Tensor& x, std::int64_t axis, bool keepdims) {
  Reduced p;
  p.axis = detail::normalize_axis(op, axis, x.shape());
  if (x.shape()[p.axis] == 0) {
    throw_shape_error(op, "axis " + std::to_string(axis) + " is empty", "input", x.shape());
  }
  p.view = detail::axis_view(x.shape(), p.axis);
  std::vector<bool> mask(x.dim(), false);
  mask[p.axis] = true;
  p.out_shape = detail::reduced_shape(x.shape(), mask, keepdims);
  p.kept_shape = detail::reduced_shape(x.shape(), mask, true);
  return p;
}

Tensor extremum(const char* op, const Tensor& x, std::int64_t axis, bool keepdims, bool is_max) {
  check_defined(op, x);
  const Reduced p = plan(op, x, axis, keepdims);
  const detail::AxisView& v = p.view;
  Array y = Array::empty(p.out_shape, x.dtype());
  std::vector<std::int64_t> arg(v.rows());
  dispatch_any(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    extremum_forward(x.value().data<T>(), y.data<T>(), arg.data(), v, is_max);
  });
  // dx = mask · dy (dy with the axis reinserted, expanded): the mask, a
  // constant leaf (no inputs: it cannot make a cycle) with a 1 at each
  // row's arg, is built only when the op is recorded.
  Tensor mask;
  if (is_grad_enabled() && x.requires_grad()) {
    Array m = Array::zeros(x.shape(), x.dtype());
    dispatch(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pm = m.data<T>();
      parallel_for(0, v.rows(), kElementwiseGrain, [&](std::size_t r0, std::size_t r1) {
        for (std::size_t r = r0; r < r1; ++r)
          pm[v.row_start(r) + std::size_t(arg[r]) * v.inner] = T(1);
      });
    });
    mask = Tensor(std::move(m));
  }
  const std::vector<std::int64_t> kept(p.kept_shape.begin(), p.kept_shape.end());
  return record(op, std::move(y), {x}, [kept, mask](const Node& out, const Tensor& dy) {
    return Grads{mul(broadcast_to(reshape(dy, kept), out.input_shape(0)), mask)};
  });
}

Tensor position(const char* op, const Tensor& x, std::int64_t axis, bool keepdims, bool is_max) {
  check_defined(op, x);
  const Reduced p = plan(op, x, axis, keepdims);
  Array idx = Array::empty(p.out_shape, kInt64);
  dispatch_any(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    extremum_forward<T>(x.value().data<T>(), nullptr, idx.data<std::int64_t>(), p.view, is_max);
  });
  return Tensor(std::move(idx));  // positions: never differentiated
}

// x as one row of all its elements (for the reductions without an axis).
Tensor all_elements(const char* op, const Tensor& x) {
  check_defined(op, x);
  if (x.size() == 0) throw_shape_error(op, "input is empty", "input", x.shape());
  return reshape(x, {-1});
}

}  // namespace

Tensor max(const Tensor& x, std::int64_t axis, bool keepdims) {
  return extremum("max", x, axis, keepdims, true);
}
Tensor min(const Tensor& x, std::int64_t axis, bool keepdims) {
  return extremum("min", x, axis, keepdims, false);
}
Tensor max(const Tensor& x) { return extremum("max", all_elements("max", x), 0, false, true); }
Tensor min(const Tensor& x) { return extremum("min", all_elements("min", x), 0, false, false); }
Tensor argmax(const Tensor& x, std::int64_t axis, bool keepdims) {
  return position("argmax", x, axis, keepdims, true);
}
Tensor argmin(const Tensor& x, std::int64_t axis, bool keepdims) {
  return position("argmin", x, axis, keepdims, false);
}
Tensor argmax(const Tensor& x) {
  return position("argmax", all_elements("argmax", x), 0, false, true);
}
Tensor argmin(const Tensor& x) {
  return position("argmin", all_elements("argmin", x), 0, false, false);
}

}  // namespace xgrad
