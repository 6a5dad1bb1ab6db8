// Elementwise helpers over Arrays, for kernels and for users' own ops.
//
//   map(a, f)        out[i] = f(a[i])
//   map(a, b, f)     out[i] = f(a[i], b[i])          REQUIRES equal shapes
//   map(a, b, c, f)  out[i] = f(a[i], b[i], c[i])    REQUIRES equal shapes
//
// f is called with the array's scalar type (write it as a generic lambda,
// `[](auto x) { return ... ; }`) and its result is converted back to it.
// Work is split with parallel_for above kElementwiseGrain, or above the grain
// given first, e.g. map<kTranscendentalGrain>(x, [](auto v) { return std::exp(v); });
// each element is written by one task, so results do not depend on the thread count.
#pragma once

#include <string>

#include "framework/array.h"
#include "framework/parallel.h"

namespace xgrad {

namespace detail {
inline void check_same(const char* op, const Array& a, const Array& b) {
  if (a.shape() != b.shape())
    throw_shape_error(op, "shapes must match", "a", a.shape(), "b", b.shape());
  if (a.dtype() != b.dtype()) {
    throw DTypeError(std::string(op) + ": dtypes must match: a " + dtype_name(a.dtype()) + ", b " +
                     dtype_name(b.dtype()));
  }
}
}  // namespace detail

template <std::size_t Grain = kElementwiseGrain, class F>
Array map(const Array& a, F f) {
  Array out = Array::empty(a.shape(), a.dtype());
  dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* x = a.data<T>();
    T* y = out.data<T>();
    parallel_for(0, a.size(), Grain, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) y[i] = T(f(x[i]));
    });
  });
  return out;
}

template <std::size_t Grain = kElementwiseGrain, class F>
Array map(const Array& a, const Array& b, F f) {
  detail::check_same("map", a, b);
  Array out = Array::empty(a.shape(), a.dtype());
  dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* x = a.data<T>();
    const T* z = b.data<T>();
    T* y = out.data<T>();
    parallel_for(0, a.size(), Grain, [&](std::size_t lo, std::size_t hi) {
      for (std::size_t i = lo; i < hi; ++i) y[i] = T(f(x[i], z[i]));
    });
  });
  return out;
}

template <std::size_t Grain = kElementwiseGrain, class F>
Array map(const Array& a, const Array& b, const Array& c, F f) {
  detail::check_same("map", a, b);
  detail::check_same("map", a, c);
  Array out = Array::empty(a.shape(), a.dtype());
  dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* x = a.data<T>();
    const T* z = b.data<T>();
    const T* w = c.data<T>();
    T* y = out.data<T>();
    parallel_for(0, a.size(), Grain, [&](std::size_t lo, std::size_t hi) {
      for (std::size_t i = lo; i < hi; ++i) y[i] = T(f(x[i], z[i], w[i]));
    });
  });
  return out;
}

}  // namespace xgrad
