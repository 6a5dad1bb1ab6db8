#include "ops/elementwise.h"

#include <cmath>

#include "framework/array_map.h"
#include "framework/record.h"

namespace xgrad {

Tensor exp(const Tensor& x) {
  check_defined("exp", x, "input");
  Array y = map<kTranscendentalGrain>(x.value(), [](auto v) { return std::exp(v); });
  return record("exp", std::move(y), {x}, [](const Node& out, const Array& dy) {
    return Grads{map(dy, out.value, [](auto g, auto y) { return g * y; })};
  });
}

Tensor log(const Tensor& x) {
  check_defined("log", x, "input");
  Array y = map<kTranscendentalGrain>(x.value(), [](auto v) { return std::log(v); });
  return record("log", std::move(y), {x}, [](const Node& out, const Array& dy) {
    return Grads{map(dy, out.input(0), [](auto g, auto x) { return g / x; })};
  });
}

Tensor sqrt(const Tensor& x) {
  check_defined("sqrt", x, "input");
  Array y = map(x.value(), [](auto v) { return std::sqrt(v); });
  return record("sqrt", std::move(y), {x}, [](const Node& out, const Array& dy) {
    return Grads{map(dy, out.value, [](auto g, auto y) { return g / (2 * y); })};
  });
}

Tensor abs(const Tensor& x) {
  check_defined("abs", x, "input");
  Array y = map(x.value(), [](auto v) { return std::abs(v); });
  return record("abs", std::move(y), {x}, [](const Node& out, const Array& dy) {
    return Grads{map(dy, out.input(0), [](auto g, auto x) {
      using T = decltype(x);
      return x > 0 ? g : x < 0 ? -g : T(0);
    })};
  });
}

Tensor pow(const Tensor& x, double p) {
  check_defined("pow", x, "input");
  Array y =
      map<kTranscendentalGrain>(x.value(), [p](auto v) { return std::pow(v, decltype(v)(p)); });
  return record("pow", std::move(y), {x}, [p](const Node& out, const Array& dy) {
    return Grads{map(dy, out.input(0), [p](auto g, auto x) {
      using T = decltype(x);
      return p == 0 ? T(0) : g * T(p) * std::pow(x, T(p - 1));
    })};
  });
}

Tensor square(const Tensor& x) {
  check_defined("square", x, "input");
  Array y = map(x.value(), [](auto v) { return v * v; });
  return record("square", std::move(y), {x}, [](const Node& out, const Array& dy) {
    return Grads{map(dy, out.input(0), [](auto g, auto x) { return 2 * g * x; })};
  });
}

}  // namespace xgrad
