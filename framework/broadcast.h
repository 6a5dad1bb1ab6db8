// NumPy broadcasting for binary elementwise ops, and its adjoint sum_to.
//
// Shapes are aligned at the right; a dimension of 1 (or a missing one)
// stretches to the other operand's size. broadcast_map evaluates f over the
// broadcast result; sum_to sums a gradient of the broadcast shape back to an
// operand's shape (the adjoint of broadcasting), which is how every
// broadcasting op reduces its gradients.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "framework/array.h"
#include "framework/parallel.h"

namespace xgrad {

// The broadcast shape of a and b; ShapeError
// "<op>: shapes are not broadcastable: lhs (2, 3), rhs (4)" otherwise.
Shape broadcast_shapes(const std::string& op, const Shape& a, const Shape& b);

// Row-major strides of `shape` as seen from `out` (an output it broadcasts
// to): 0 along broadcast dimensions. REQUIRES: shape broadcasts to out.
std::vector<std::size_t> broadcast_strides(const Shape& shape, const Shape& out);

// g summed over the dimensions that broadcasting added or stretched, so the
// result has `shape`. REQUIRES: shape broadcasts to g.shape().
Array sum_to(const Array& g, const Shape& shape);

// x repeated along the dimensions broadcasting adds or stretches, so the
// result has `shape` (the adjoint of sum_to). ShapeError
// "<op>: shape does not broadcast to the target: input (3), target (2, 4)".
Array broadcast_to(const std::string& op, const Array& x, const Shape& shape);

// out[i] = f(a[ia(i)], b[ib(i)]) over the broadcast shape of a and b.
// REQUIRES: equal dtypes (checked by the calling op).
template <class F>
Array broadcast_map(const char* op, const Array& a, const Array& b, F f) {
  Shape out_shape = a.shape() == b.shape() ? a.shape() : broadcast_shapes(op, a.shape(), b.shape());
  Array out = Array::empty(out_shape, a.dtype());
  const std::size_t n = out.size();
  if (n == 0) return out;
  dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* x = a.data<T>();
    const T* z = b.data<T>();
    T* y = out.data<T>();
    const std::size_t na = a.size(), nb = b.size();
    if (na == n && nb == n) {
      parallel_for(0, n, kElementwiseGrain, [&](std::size_t lo, std::size_t hi) {
        for (std::size_t i = lo; i < hi; ++i) y[i] = T(f(x[i], z[i]));
      });
    } else if (nb == 1) {
      const T s = z[0];
      parallel_for(0, n, kElementwiseGrain, [&](std::size_t lo, std::size_t hi) {
        for (std::size_t i = lo; i < hi; ++i) y[i] = T(f(x[i], s));
      });
    } else if (na == 1) {
      const T s = x[0];
      parallel_for(0, n, kElementwiseGrain, [&](std::size_t lo, std::size_t hi) {
        for (std::size_t i = lo; i < hi; ++i) y[i] = T(f(s, z[i]));
      });
    } else {
      // General case: walk the output with an odometer, one row (last
      // dimension) at a time; rows are independent, so they run in parallel.
      const std::size_t rank = out_shape.size();
      const std::size_t cols = out_shape[rank - 1];
      const std::size_t rows = n / cols;
      std::vector<std::size_t> sa = broadcast_strides(a.shape(), out_shape);
      std::vector<std::size_t> sb = broadcast_strides(b.shape(), out_shape);
      const std::size_t grain = std::max<std::size_t>(1, kElementwiseGrain / cols);
      parallel_for(0, rows, grain, [&](std::size_t r0, std::size_t r1) {
        for (std::size_t r = r0; r < r1; ++r) {
          std::size_t ia = 0, ib = 0, rem = r;
          for (std::size_t d = rank - 1; d-- > 0;) {
            std::size_t idx = rem % out_shape[d];
            rem /= out_shape[d];
            ia += idx * sa[d];
            ib += idx * sb[d];
          }
          const std::size_t ca = sa[rank - 1], cb = sb[rank - 1];
          T* yr = y + r * cols;
          for (std::size_t c = 0; c < cols; ++c) yr[c] = T(f(x[ia + c * ca], z[ib + c * cb]));
        }
      });
    }
  });
  return out;
}

}  // namespace xgrad
