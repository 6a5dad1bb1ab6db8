#include "ops/tanh.h"

#include <cmath>

#include "framework/array_map.h"
#include "framework/record.h"
#include "ops/arithmetic.h"

namespace xgrad {

Tensor tanh(const Tensor& x) {
  check_float("tanh", x);
  Array y = map<kTranscendentalGrain>(x.value(), [](auto v) { return std::tanh(v); });
  return record("tanh", std::move(y), {x}, [](const Node& out, const Tensor& dy) {
    return Grads{tanh_backward(dy, out.output())};
  });
}

Tensor tanh_backward(const Tensor& dy, const Tensor& y) {
  check_same_dtype("tanh_backward", dy, y, "gradient", "output");
  if (dy.shape() != y.shape()) {
    throw_shape_error("tanh_backward", "shapes must match", "gradient", dy.shape(), "output",
                      y.shape());
  }
  Array dx = map(dy.value(), y.value(), [](auto g, auto v) { return g * (1 - v * v); });
  return record("tanh_backward", std::move(dx), {dy, y}, [](const Node& out, const Tensor& g) {
    const Tensor dy = out.input(0), y = out.input(1);
    return Grads{out.needs_grad(0) ? tanh_backward(g, y) : Tensor(),
                 out.needs_grad(1) ? mul(mul(g, dy), mul(y, -2.0)) : Tensor()};
  });
}

}  // namespace xgrad
