#include "ops/mse.h"

#include "ops/arithmetic.h"
#include "framework/record.h"
#include "ops/kernels/loss_kernels.h"

namespace xgrad {

Tensor mse(const Tensor& input, const Tensor& target, Reduction reduction, MseScale scale) {
  const char* op = "mse";
  check_same_dtype(op, input, target, "input", "target");
  if (input.shape() != target.shape()) {
    throw_shape_error(op, "input and target shapes must match", "input", input.shape(), "target",
                      target.shape());
  }
  if (input.size() == 0) throw_shape_error(op, "input must not be empty", "input", input.shape());
  const double c = scale == MseScale::kHalf ? 0.5 : 1.0;
  const double s = c * (reduction == Reduction::kMean ? 1.0 / double(input.size()) : 1.0);
  const double loss = s * kernels::sum_terms(input.value(), target.value(),
                                             [](auto x, auto t) { return (x - t) * (x - t); });
  return record(op, Array::scalar(loss, input.dtype()), {input, target},
                [s](const Node& out, const Tensor& dy) {
                  const Tensor d = mul(sub(out.input(0), out.input(1)), mul(dy, 2 * s));
                  return Grads{out.needs_grad(0) ? d : Tensor(), out.needs_grad(1) ? neg(d) : Tensor()};
                });
}

}  // namespace xgrad
