#include "ops/sum_of_squares.h"

#include "framework/array_map.h"
#include "framework/record.h"
#include "ops/kernels/loss_kernels.h"

namespace xgrad {

Tensor sum_of_squares(const Tensor& x) {
  check_defined("sum_of_squares", x, "input");
  const double y = kernels::sum_terms(x.value(), [](auto v) { return v * v; });
  return record("sum_of_squares", Array::scalar(y, x.dtype()), {x},
                [](const Node& out, const Array& dy) {
                  const double g = 2 * dy.item();
                  return Grads{map(out.input(0), [g](auto v) { return g * v; })};
                });
}

}  // namespace xgrad
