// Perceptron: one step unit trained by the lecture's perceptron rule, not by gradients.  (L2)
//
//   h(x) = step(θ0 + Σ_j θ_j x_j),   step(z) = 1 if z >= 0, else 0
//   rule, for one example (x, y) with y in {0, 1} and x0 = 1 for θ0:
//     θ ← θ + α (y − h(x)) x
//   which is the slide's table:   y  h   update
//                                 0  0   0
//                                 0  1   −αx   (output too high: decrement)
//                                 1  0   +αx   (output too low: increment)
//                                 1  1   0
// fit() cycles over the examples in order, one pass an epoch, until a pass
// makes no error (converged) or max_epochs passes have run. If the data are
// linearly separable it converges (the perceptron convergence theorem);
// on XOR it never does.
// θ is kept in float64 as plain numbers: there is no graph and no gradient.
// Thread safety: none.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "framework/tensor.h"

namespace xgrad {

struct PerceptronFit {
  std::size_t epochs = 0;  // passes run; when converged, the last made no error
  bool converged = false;
  std::vector<std::size_t> errors_per_epoch;  // updates made in each pass
};

class Perceptron {
 public:
  // θ = 0. REQUIRES: features > 0, alpha > 0.
  explicit Perceptron(std::size_t features, double alpha = 1.0);
  // θ given, θ0 (the bias) first: features + 1 numbers.
  Perceptron(std::vector<double> theta, double alpha);

  // h(x) for one example of `features` numbers (x0 = 1 is implied).
  int predict(const std::vector<double>& x) const;
  // h for each row of x (N, features) -> (N) of 0 and 1, in x's dtype.
  Tensor predict(const Tensor& x) const;

  // One application of the rule; returns y − h(x), in {−1, 0, 1}.
  // REQUIRES: y is 0 or 1 (ValueError otherwise).
  int update(const std::vector<double>& x, double y);

  // The rule over x (N, features) and labels y (N) of 0 and 1.
  PerceptronFit fit(const Tensor& x, const Tensor& y, std::size_t max_epochs);

  const std::vector<double>& theta() const { return theta_; }
  double alpha() const { return alpha_; }
  std::size_t features() const { return theta_.size() - 1; }
  std::string name() const;  // "Perceptron(2 inputs, alpha 1)"

 private:
  void check_example(const std::vector<double>& x) const;
  std::vector<double> theta_;
  double alpha_;
};

}  // namespace xgrad
