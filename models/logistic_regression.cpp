#include "models/logistic_regression.h"

#include <algorithm>
#include <cmath>

#include "framework/grad_mode.h"
#include "ops/linear.h"
#include "ops/sigmoid.h"

namespace xgrad {

LogisticRegression::LogisticRegression(std::size_t in, std::size_t classes, DType dtype)
    : in_(in), classes_(classes) {
  if (in == 0 || classes == 0) {
    throw ValueError("LogisticRegression: features and classes must be positive");
  }
  weight_ =
      register_parameter("weight", Tensor(Array::zeros({classes, in}, dtype)), ParamRole::kWeight);
  bias_ = register_parameter("bias", Tensor(Array::zeros({classes}, dtype)), ParamRole::kBias);
}

std::string LogisticRegression::name() const {
  return "LogisticRegression(" + std::to_string(in_) + " features, " +
         (classes_ == 1 ? std::string("binary") : std::to_string(classes_) + " classes") + ")";
}

Tensor LogisticRegression::forward(const Tensor& x) {
  if (x.dim() != 2 || x.shape()[1] != in_) {
    throw_shape_error(name(), "input must have " + std::to_string(in_) + " columns", "input",
                      x.shape());
  }
  return linear(x, weight_, bias_);
}

Array LogisticRegression::predict_proba(const Tensor& x) {
  NoGradGuard no_grad;
  Array z = forward(x).value();
  const std::size_t n = z.shape()[0], k = classes_;
  dispatch(z.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* p = z.data<T>();
    for (std::size_t r = 0; r < n; ++r) {
      T* row = p + r * k;
      if (k == 1) {
        row[0] = kernels::sigmoid(row[0]);
        continue;
      }
      const T top = *std::max_element(row, row + k);  // shift: exp never overflows
      T total = 0;
      for (std::size_t c = 0; c < k; ++c) total += row[c] = std::exp(row[c] - top);
      for (std::size_t c = 0; c < k; ++c) row[c] /= total;
    }
  });
  return z;
}

std::vector<std::size_t> LogisticRegression::predict(const Tensor& x) {
  NoGradGuard no_grad;
  Array z = forward(x).value();
  const std::size_t n = z.shape()[0], k = classes_;
  std::vector<std::size_t> out(n);
  for (std::size_t r = 0; r < n; ++r) {
    if (k == 1) {
      out[r] = z.at(r) >= 0 ? 1 : 0;
      continue;
    }
    std::size_t best = 0;
    for (std::size_t c = 1; c < k; ++c) {
      if (z.at(r * k + c) > z.at(r * k + best)) best = c;
    }
    out[r] = best;
  }
  return out;
}

}  // namespace xgrad
