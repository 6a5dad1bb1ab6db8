// LogisticRegression: one affine map producing logits (the lecture's
// h(x) = g(θᵀx) with θ0 the bias, L3).
//   LogisticRegression(in, classes)
//     parameters: weight (classes, in) [weight], bias (classes) [bias]
//     input (N, in) -> logits (N, classes)
//   classes = 1 is the binary lecture model: the logit z = θᵀx, with
//   h = g(z) applied by the loss (sigmoid cross-entropy from logits) or by
//   predict_proba; classes = K > 1 is multinomial (softmax) regression.
//   names "LogisticRegression(2 features, binary)",
//         "LogisticRegression(784 features, 10 classes)"
// Initialised to zeros: the cost is convex, so there is no symmetry to
// break (unlike a hidden layer, L11); use init_module for anything else.
#pragma once

#include <cstddef>
#include <vector>

#include "models/module.h"

namespace xgrad {

class LogisticRegression : public Module {
 public:
  LogisticRegression(std::size_t in, std::size_t classes = 1, DType dtype = kFloat32);

  Tensor forward(const Tensor& x) override;
  std::string name() const override;

  // Probabilities, no graph: (N, 1) sigmoid of the logit when binary,
  // (N, K) row-wise softmax otherwise.
  Array predict_proba(const Tensor& x);
  // Class per row: binary 1 when h >= 0.5 (logit >= 0), else the first
  // largest logit.
  std::vector<std::size_t> predict(const Tensor& x);

  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }
  std::size_t in_features() const { return in_; }
  std::size_t classes() const { return classes_; }

 private:
  std::size_t in_, classes_;
  Tensor weight_;
  Tensor bias_;
};

}  // namespace xgrad
