#include "ops/compare.h"

#include <string>

#include "framework/broadcast.h"
#include "framework/factory.h"
#include "framework/parallel.h"
#include "framework/record.h"
#include "ops/expand.h"

namespace xgrad {

namespace {

enum class Cmp { kEq, kNe, kLt, kLe, kGt, kGe };

template <class T>
bool holds(Cmp c, T a, T b) {
  switch (c) {
    case Cmp::kEq:
      return a == b;
    case Cmp::kNe:
      return a != b;
    case Cmp::kLt:
      return a < b;
    case Cmp::kLe:
      return a <= b;
    case Cmp::kGt:
      return a > b;
    default:
      return a >= b;
  }
}

// x itself when it already has `shape`, else its broadcast copy in `storage`.
const Array& expanded(const char* op, const Array& x, const Shape& shape, Array& storage) {
  if (x.shape() == shape) return x;
  storage = broadcast_to(op, x, shape);
  return storage;
}

void check_operands(const char* op, const Tensor& a, const Tensor& b) {
  check_defined(op, a, "lhs");
  check_defined(op, b, "rhs");
  if (a.dtype() != b.dtype())
    throw_dtype_error(op, "dtypes must match", "lhs", a.dtype(), "rhs", b.dtype());
}

Tensor compare(const char* op, Cmp c, const Tensor& a, const Tensor& b) {
  check_operands(op, a, b);
  const Shape shape = broadcast_shapes(op, a.shape(), b.shape());
  Array sa, sb;
  const Array& x = expanded(op, a.value(), shape, sa);
  const Array& z = expanded(op, b.value(), shape, sb);
  Array y = Array::empty(shape, a.dtype());
  dispatch_any(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* px = x.data<T>();
    const T* pz = z.data<T>();
    T* py = y.data<T>();
    parallel_for(0, y.size(), kElementwiseGrain, [&](std::size_t lo, std::size_t hi) {
      for (std::size_t i = lo; i < hi; ++i) py[i] = T(holds(c, px[i], pz[i]));
    });
  });
  return Tensor(std::move(y));  // a mask: a leaf that never requires grad
}

Tensor compare(const char* op, Cmp c, const Tensor& a, double s) {
  check_defined(op, a, "lhs");
  Array y = Array::empty(a.shape(), a.dtype());
  dispatch_any(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    // int64 compares as double (2 < 2.5 holds); floats compare in their own type.
    using C = std::conditional_t<std::is_floating_point_v<T>, T, double>;
    const T* px = a.value().data<T>();
    T* py = y.data<T>();
    parallel_for(0, y.size(), kElementwiseGrain, [&](std::size_t lo, std::size_t hi) {
      for (std::size_t i = lo; i < hi; ++i) py[i] = T(holds(c, C(px[i]), C(s)));
    });
  });
  return Tensor(std::move(y));
}

}  // namespace

Tensor eq(const Tensor& a, const Tensor& b) { return compare("eq", Cmp::kEq, a, b); }
Tensor ne(const Tensor& a, const Tensor& b) { return compare("ne", Cmp::kNe, a, b); }
Tensor lt(const Tensor& a, const Tensor& b) { return compare("lt", Cmp::kLt, a, b); }
Tensor le(const Tensor& a, const Tensor& b) { return compare("le", Cmp::kLe, a, b); }
Tensor gt(const Tensor& a, const Tensor& b) { return compare("gt", Cmp::kGt, a, b); }
Tensor ge(const Tensor& a, const Tensor& b) { return compare("ge", Cmp::kGe, a, b); }
Tensor eq(const Tensor& a, double s) { return compare("eq", Cmp::kEq, a, s); }
Tensor ne(const Tensor& a, double s) { return compare("ne", Cmp::kNe, a, s); }
Tensor lt(const Tensor& a, double s) { return compare("lt", Cmp::kLt, a, s); }
Tensor le(const Tensor& a, double s) { return compare("le", Cmp::kLe, a, s); }
Tensor gt(const Tensor& a, double s) { return compare("gt", Cmp::kGt, a, s); }
Tensor ge(const Tensor& a, double s) { return compare("ge", Cmp::kGe, a, s); }

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  const char* op = "where";
  check_defined(op, cond, "condition");
  check_defined(op, a, "input");
  check_defined(op, b, "other");
  if (a.dtype() != b.dtype()) {
    throw_dtype_error(op, "dtypes must match", "input", a.dtype(), "other", b.dtype());
  }
  Shape shape;
  try {
    shape = broadcast_shapes(op, broadcast_shapes(op, cond.shape(), a.shape()), b.shape());
  } catch (const ShapeError&) {
    throw ShapeError(std::string(op) + ": shapes are not broadcastable: condition " +
                     format_shape(cond.shape()) + ", input " + format_shape(a.shape()) +
                     ", other " + format_shape(b.shape()));
  }
  Array sc, sa, sb;
  const Array& c = expanded(op, cond.value(), shape, sc);
  const Array& x = expanded(op, a.value(), shape, sa);
  const Array& z = expanded(op, b.value(), shape, sb);
  Array y = Array::empty(shape, a.dtype());
  dispatch_any(c.dtype(), [&](auto ctag) {
    using C = decltype(ctag);
    const C* pc = c.data<C>();
    dispatch_any(a.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* px = x.data<T>();
      const T* pz = z.data<T>();
      T* py = y.data<T>();
      parallel_for(0, y.size(), kElementwiseGrain, [&](std::size_t lo, std::size_t hi) {
        for (std::size_t i = lo; i < hi; ++i) py[i] = pc[i] != C(0) ? px[i] : pz[i];
      });
    });
  });
  return record(op, std::move(y), {cond, a, b}, [](const Node& out, const Tensor& dy) {
    const Tensor cond = out.input(0);
    const Tensor zero = scalar(0.0, dy.dtype());
    Grads g(3);
    if (out.needs_grad(1)) g[1] = sum_to_size(where(cond, dy, zero), out.input_shape(1));
    if (out.needs_grad(2)) g[2] = sum_to_size(where(cond, zero, dy), out.input_shape(2));
    return g;
  });
}

Tensor where(const Tensor& cond, const Tensor& a, double b) {
  check_defined("where", a, "input");
  return where(cond, a, scalar(b, a.dtype()));
}

Tensor where(const Tensor& cond, double a, const Tensor& b) {
  check_defined("where", b, "other");
  return where(cond, scalar(a, b.dtype()), b);
}

Tensor masked_fill(const Tensor& x, const Tensor& mask, double value) {
  check_defined("masked_fill", x);
  return where(mask, value, x);
}

}  // namespace xgrad
