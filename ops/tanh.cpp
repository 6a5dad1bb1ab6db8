#include "ops/tanh.h"

#include <cmath>

#include "framework/array_map.h"
#include "framework/record.h"

namespace xgrad {

Tensor tanh(const Tensor& x) {
  check_defined("tanh", x, "input");
  Array y = map<kTranscendentalGrain>(x.value(), [](auto v) { return std::tanh(v); });
  return record("tanh", std::move(y), {x}, [](const Node& out, const Array& dy) {
    return Grads{map(dy, out.value, [](auto g, auto y) { return g * (1 - y * y); })};
  });
}

}  // namespace xgrad
