#include "ops/relu.h"

#include "framework/array_map.h"
#include "framework/record.h"

namespace xgrad {

Tensor relu(const Tensor& x) {
  check_defined("relu", x, "input");
  Array y = map(x.value(), [](auto v) { return v > 0 ? v : decltype(v)(0); });
  return record("relu", std::move(y), {x}, [](const Node& out, const Array& dy) {
    return Grads{map(dy, out.value, [](auto g, auto y) { return y > 0 ? g : decltype(g)(0); })};
  });
}

}  // namespace xgrad
