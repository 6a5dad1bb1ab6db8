#include "ops/relu.h"

#include <cmath>

#include "framework/array_map.h"
#include "framework/record.h"

namespace xgrad {

Tensor relu(const Tensor& x) {
  check_float("relu", x);
  Array y = map(x.value(), [](auto v) { return v > 0 || std::isnan(v) ? v : decltype(v)(0); });
  return record("relu", std::move(y), {x}, [](const Node& out, const Tensor& dy) {
    return Grads{relu_backward(dy, out.output())};
  });
}

Tensor relu_backward(const Tensor& dy, const Tensor& y) {
  check_same_dtype("relu_backward", dy, y, "gradient", "output");
  if (dy.shape() != y.shape()) {
    throw_shape_error("relu_backward", "shapes must match", "gradient", dy.shape(), "output",
                      y.shape());
  }
  Array dx = map(dy.value(), y.value(), [](auto g, auto v) { return v <= 0 ? decltype(g)(0) : g; });
  return record("relu_backward", std::move(dx), {dy, y}, [](const Node& out, const Tensor& g) {
    return Grads{out.needs_grad(0) ? relu_backward(g, out.input(1)) : Tensor(), Tensor()};
  });
}

}  // namespace xgrad
