#include "ops/sum_of_squares.h"

#include "ops/arithmetic.h"
#include "framework/record.h"
#include "ops/kernels/loss_kernels.h"

namespace xgrad {

Tensor sum_of_squares(const Tensor& x) {
  check_float("sum_of_squares", x);
  const double y = kernels::sum_terms(x.value(), [](auto v) { return v * v; });
  return record("sum_of_squares", Array::scalar(y, x.dtype()), {x},
                [](const Node& out, const Tensor& dy) {
                  return Grads{mul(out.input(0), mul(dy, 2.0))};
                });
}

}  // namespace xgrad
