#include "ops/elementwise.h"

#include <cmath>

#include "framework/array_map.h"
#include "framework/factory.h"
#include "framework/record.h"
#include "ops/arithmetic.h"

namespace xgrad {

Tensor exp(const Tensor& x) {
  check_float("exp", x);
  Array y = map<kTranscendentalGrain>(x.value(), [](auto v) { return std::exp(v); });
  return record("exp", std::move(y), {x},
                [](const Node& out, const Tensor& dy) { return Grads{mul(dy, out.output())}; });
}

Tensor log(const Tensor& x) {
  check_float("log", x);
  Array y = map<kTranscendentalGrain>(x.value(), [](auto v) { return std::log(v); });
  return record("log", std::move(y), {x},
                [](const Node& out, const Tensor& dy) { return Grads{div(dy, out.input(0))}; });
}

Tensor sqrt(const Tensor& x) {
  check_float("sqrt", x);
  Array y = map(x.value(), [](auto v) { return std::sqrt(v); });
  return record("sqrt", std::move(y), {x}, [](const Node& out, const Tensor& dy) {
    return Grads{div(mul(dy, 0.5), out.output())};  // dy / (2y)
  });
}

Tensor sign(const Tensor& x) {
  check_float("sign", x);
  Array y = map(x.value(), [](auto v) {
    using T = decltype(v);
    return v > 0 ? T(1) : v < 0 ? T(-1) : v == 0 ? T(0) : v;  // NaN stays NaN
  });
  return record("sign", std::move(y), {x},
                [](const Node& out, const Tensor&) { return Grads{zeros_like(out.input(0))}; });
}

Tensor abs(const Tensor& x) {
  check_float("abs", x);
  Array y = map(x.value(), [](auto v) { return std::abs(v); });
  return record("abs", std::move(y), {x}, [](const Node& out, const Tensor& dy) {
    return Grads{mul(dy, sign(out.input(0)))};
  });
}

Tensor pow(const Tensor& x, double p) {
  check_float("pow", x);
  Array y =
      map<kTranscendentalGrain>(x.value(), [p](auto v) { return std::pow(v, decltype(v)(p)); });
  return record("pow", std::move(y), {x}, [p](const Node& out, const Tensor& dy) {
    if (p == 0) return Grads{zeros_like(dy)};
    return Grads{mul(dy, mul(pow(out.input(0), p - 1), p))};
  });
}

Tensor square(const Tensor& x) {
  check_float("square", x);
  Array y = map(x.value(), [](auto v) { return v * v; });
  return record("square", std::move(y), {x}, [](const Node& out, const Tensor& dy) {
    return Grads{mul(dy, mul(out.input(0), 2.0))};
  });
}

Tensor log1p(const Tensor& x) {
  check_float("log1p", x);
  Array y = map<kTranscendentalGrain>(x.value(), [](auto v) { return std::log1p(v); });
  return record("log1p", std::move(y), {x}, [](const Node& out, const Tensor& dy) {
    return Grads{div(dy, add(out.input(0), 1.0))};
  });
}

Tensor expm1(const Tensor& x) {
  check_float("expm1", x);
  Array y = map<kTranscendentalGrain>(x.value(), [](auto v) { return std::expm1(v); });
  return record("expm1", std::move(y), {x}, [](const Node& out, const Tensor& dy) {
    return Grads{mul(dy, add(out.output(), 1.0))};
  });
}

Tensor erf(const Tensor& x) {
  check_float("erf", x);
  Array y = map<kTranscendentalGrain>(x.value(), [](auto v) { return std::erf(v); });
  return record("erf", std::move(y), {x}, [](const Node& out, const Tensor& dy) {
    const double two_over_sqrt_pi = 1.1283791670955126;  // 2/√π
    return Grads{mul(dy, mul(exp(neg(square(out.input(0)))), two_over_sqrt_pi))};
  });
}

Tensor sin(const Tensor& x) {
  check_float("sin", x);
  Array y = map<kTranscendentalGrain>(x.value(), [](auto v) { return std::sin(v); });
  return record("sin", std::move(y), {x}, [](const Node& out, const Tensor& dy) {
    return Grads{mul(dy, cos(out.input(0)))};
  });
}

Tensor cos(const Tensor& x) {
  check_float("cos", x);
  Array y = map<kTranscendentalGrain>(x.value(), [](auto v) { return std::cos(v); });
  return record("cos", std::move(y), {x}, [](const Node& out, const Tensor& dy) {
    return Grads{neg(mul(dy, sin(out.input(0))))};
  });
}

}  // namespace xgrad
