#include "ops/arithmetic.h"

#include "framework/array_map.h"
#include "framework/broadcast.h"
#include "framework/record.h"
#include "ops/expand.h"

namespace xgrad {

namespace {
// Gradient for input i when backward needs it: f() reduced to its shape.
template <class F>
Tensor grad_if(const Node& out, std::size_t i, F f) {
  return out.needs_grad(i) ? sum_to_size(f(), out.input_shape(i)) : Tensor();
}
Array negate(const Array& a) {
  return map(a, [](auto x) { return -x; });
}
}  // namespace

Tensor add(const Tensor& a, const Tensor& b) {
  check_same_dtype("add", a, b);
  Array y = broadcast_map("add", a.value(), b.value(), [](auto x, auto z) { return x + z; });
  return record("add", std::move(y), {a, b}, [](const Node& out, const Tensor& dy) {
    return Grads{grad_if(out, 0, [&] { return dy; }), grad_if(out, 1, [&] { return dy; })};
  });
}

Tensor sub(const Tensor& a, const Tensor& b) {
  check_same_dtype("sub", a, b);
  Array y = broadcast_map("sub", a.value(), b.value(), [](auto x, auto z) { return x - z; });
  return record("sub", std::move(y), {a, b}, [](const Node& out, const Tensor& dy) {
    return Grads{grad_if(out, 0, [&] { return dy; }), grad_if(out, 1, [&] { return neg(dy); })};
  });
}

Tensor mul(const Tensor& a, const Tensor& b) {
  check_same_dtype("mul", a, b);
  Array y = broadcast_map("mul", a.value(), b.value(), [](auto x, auto z) { return x * z; });
  return record("mul", std::move(y), {a, b}, [](const Node& out, const Tensor& dy) {
    return Grads{grad_if(out, 0, [&] { return mul(dy, out.input(1)); }),
                 grad_if(out, 1, [&] { return mul(dy, out.input(0)); })};
  });
}

Tensor div(const Tensor& a, const Tensor& b) {
  check_same_dtype("div", a, b);
  Array y = broadcast_map("div", a.value(), b.value(), [](auto x, auto z) { return x / z; });
  return record("div", std::move(y), {a, b}, [](const Node& out, const Tensor& dy) {
    const Tensor b = out.input(1);
    return Grads{grad_if(out, 0, [&] { return div(dy, b); }),
                 grad_if(out, 1, [&] { return neg(div(mul(dy, out.output()), b)); })};
  });
}

Tensor neg(const Tensor& a) {
  check_float("neg", a);
  return record("neg", negate(a.value()), {a},
                [](const Node&, const Tensor& dy) { return Grads{neg(dy)}; });
}

Tensor add(const Tensor& a, double s) {
  check_float("add", a);
  Array y = map(a.value(), [s](auto x) { return x + s; });
  return record("add_scalar", std::move(y), {a},
                [](const Node&, const Tensor& dy) { return Grads{dy}; });
}

Tensor sub(const Tensor& a, double s) { return add(a, -s); }

Tensor rsub(double s, const Tensor& a) {
  check_float("rsub", a);
  Array y = map(a.value(), [s](auto x) { return s - x; });
  return record("rsub_scalar", std::move(y), {a},
                [](const Node&, const Tensor& dy) { return Grads{neg(dy)}; });
}

Tensor mul(const Tensor& a, double s) {
  check_float("mul", a);
  Array y = map(a.value(), [s](auto x) { return x * s; });
  return record("mul_scalar", std::move(y), {a},
                [s](const Node&, const Tensor& dy) { return Grads{mul(dy, s)}; });
}

Tensor div(const Tensor& a, double s) {
  check_float("div", a);
  Array y = map(a.value(), [s](auto x) { return x / s; });
  return record("div_scalar", std::move(y), {a},
                [s](const Node&, const Tensor& dy) { return Grads{div(dy, s)}; });
}

Tensor rdiv(double s, const Tensor& a) {
  check_float("rdiv", a);
  Array y = map(a.value(), [s](auto x) { return s / x; });
  return record("rdiv_scalar", std::move(y), {a}, [](const Node& out, const Tensor& dy) {
    // d(s/x)/dx = -s/x² = -y/x
    return Grads{neg(div(mul(dy, out.output()), out.input(0)))};
  });
}

}  // namespace xgrad
