#include "ops/sigmoid.h"

#include "framework/array_map.h"
#include "framework/record.h"

namespace xgrad {

Tensor sigmoid(const Tensor& x) {
  check_defined("sigmoid", x, "input");
  Array y = map<kTranscendentalGrain>(x.value(), [](auto v) { return kernels::sigmoid(v); });
  return record("sigmoid", std::move(y), {x}, [](const Node& out, const Array& dy) {
    return Grads{map(dy, out.value, [](auto g, auto y) { return g * y * (1 - y); })};  // L7
  });
}

}  // namespace xgrad
