#include "models/penalty.h"

#include <cmath>
#include <sstream>

#include "framework/factory.h"
#include "ops/arithmetic.h"
#include "ops/sum_of_squares.h"

namespace xgrad {

double l2_coefficient(double lambda, double n, L2Convention convention) {
  if (!(lambda >= 0) || !std::isfinite(lambda)) {
    std::ostringstream os;
    os << "l2_penalty: lambda must be finite and >= 0, got " << lambda;
    throw ValueError(os.str());
  }
  if (convention == L2Convention::kLambdaOver2) return lambda / 2;
  if (!(n > 0) || !std::isfinite(n)) {
    std::ostringstream os;
    os << "l2_penalty: the (lambda/2n) convention needs n > 0 examples, got " << n;
    throw ValueError(os.str());
  }
  return lambda / (2 * n);
}

Tensor l2_penalty(const std::vector<Parameter>& params, double lambda, double n,
                  L2Convention convention, bool include_biases) {
  const double c = l2_coefficient(lambda, n, convention);
  if (params.empty()) throw ValueError("l2_penalty: no parameters");
  Tensor total;
  for (const Parameter& p : params) {
    if (p.role != ParamRole::kWeight && !include_biases) continue;  // biases and norm scales
    Tensor s = sum_of_squares(p.tensor);
    total = total.defined() ? total + s : s;
  }
  if (!total.defined()) return scalar(0.0, params.front().tensor.dtype());
  return total * c;
}

Tensor l2_penalty(const Module& model, double lambda, double n, L2Convention convention,
                  bool include_biases) {
  return l2_penalty(model.parameters(), lambda, n, convention, include_biases);
}

}  // namespace xgrad
