#include "ops/arithmetic.h"

#include "framework/array_map.h"
#include "framework/broadcast.h"
#include "framework/record.h"

namespace xgrad {

namespace {
// Gradient for input i when it requires one: f() reduced to its shape.
template <class F>
Array grad_if(const Node& out, std::size_t i, F f) {
  return out.input_requires_grad(i) ? sum_to(f(), out.input(i).shape()) : Array();
}
Array negate(const Array& a) {
  return map(a, [](auto x) { return -x; });
}
}  // namespace

Tensor add(const Tensor& a, const Tensor& b) {
  check_same_dtype("add", a, b);
  Array y = broadcast_map("add", a.value(), b.value(), [](auto x, auto z) { return x + z; });
  return record("add", std::move(y), {a, b}, [](const Node& out, const Array& dy) {
    return Grads{grad_if(out, 0, [&] { return dy; }), grad_if(out, 1, [&] { return dy; })};
  });
}

Tensor sub(const Tensor& a, const Tensor& b) {
  check_same_dtype("sub", a, b);
  Array y = broadcast_map("sub", a.value(), b.value(), [](auto x, auto z) { return x - z; });
  return record("sub", std::move(y), {a, b}, [](const Node& out, const Array& dy) {
    return Grads{grad_if(out, 0, [&] { return dy; }), grad_if(out, 1, [&] { return negate(dy); })};
  });
}

Tensor mul(const Tensor& a, const Tensor& b) {
  check_same_dtype("mul", a, b);
  Array y = broadcast_map("mul", a.value(), b.value(), [](auto x, auto z) { return x * z; });
  return record("mul", std::move(y), {a, b}, [](const Node& out, const Array& dy) {
    auto times = [&](const Array& other) {
      return broadcast_map("mul", dy, other, [](auto g, auto v) { return g * v; });
    };
    return Grads{grad_if(out, 0, [&] { return times(out.input(1)); }),
                 grad_if(out, 1, [&] { return times(out.input(0)); })};
  });
}

Tensor div(const Tensor& a, const Tensor& b) {
  check_same_dtype("div", a, b);
  Array y = broadcast_map("div", a.value(), b.value(), [](auto x, auto z) { return x / z; });
  return record("div", std::move(y), {a, b}, [](const Node& out, const Array& dy) {
    const Array& b = out.input(1);
    return Grads{
        grad_if(out, 0,
                [&] { return broadcast_map("div", dy, b, [](auto g, auto v) { return g / v; }); }),
        grad_if(out, 1, [&] {
          Array gy = map(dy, out.value, [](auto g, auto v) { return -g * v; });
          return broadcast_map("div", gy, b, [](auto g, auto v) { return g / v; });
        })};
  });
}

Tensor neg(const Tensor& a) {
  check_defined("neg", a, "input");
  return record("neg", negate(a.value()), {a},
                [](const Node&, const Array& dy) { return Grads{negate(dy)}; });
}

Tensor add(const Tensor& a, double s) {
  check_defined("add", a, "input");
  Array y = map(a.value(), [s](auto x) { return x + s; });
  return record("add_scalar", std::move(y), {a},
                [](const Node&, const Array& dy) { return Grads{dy}; });
}

Tensor sub(const Tensor& a, double s) { return add(a, -s); }

Tensor rsub(double s, const Tensor& a) {
  check_defined("rsub", a, "input");
  Array y = map(a.value(), [s](auto x) { return s - x; });
  return record("rsub_scalar", std::move(y), {a},
                [](const Node&, const Array& dy) { return Grads{negate(dy)}; });
}

Tensor mul(const Tensor& a, double s) {
  check_defined("mul", a, "input");
  Array y = map(a.value(), [s](auto x) { return x * s; });
  return record("mul_scalar", std::move(y), {a}, [s](const Node&, const Array& dy) {
    return Grads{map(dy, [s](auto g) { return g * s; })};
  });
}

Tensor div(const Tensor& a, double s) {
  check_defined("div", a, "input");
  Array y = map(a.value(), [s](auto x) { return x / s; });
  return record("div_scalar", std::move(y), {a}, [s](const Node&, const Array& dy) {
    return Grads{map(dy, [s](auto g) { return g / s; })};
  });
}

Tensor rdiv(double s, const Tensor& a) {
  check_defined("rdiv", a, "input");
  Array y = map(a.value(), [s](auto x) { return s / x; });
  return record("rdiv_scalar", std::move(y), {a}, [](const Node& out, const Array& dy) {
    // d(s/x)/dx = -s/x² = -y/x
    return Grads{
        map(dy, out.value, out.input(0), [](auto g, auto y, auto x) { return -g * y / x; })};
  });
}

}  // namespace xgrad
