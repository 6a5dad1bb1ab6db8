// Linear: y = x · Wᵀ + b over a batch of rows (the lecture's layer:
// W = Θ(l) without its bias column, b = Θ(l)'s column 0).
//   parameters: weight (out, in) [weight], bias (out) [bias] unless bias=false
//   input (*, in) -> output (*, out): any leading dimensions, as PyTorch's
//   (a 1-D input is one row: (in) -> (out))
// Default initialisation as PyTorch's: weight and bias ~ U(-1/√in, 1/√in).
#pragma once

#include "framework/generator.h"
#include "models/module.h"

namespace xgrad {

class Linear : public Module {
 public:
  Linear(std::size_t in, std::size_t out, Generator& gen, bool bias = true, DType dtype = kFloat32);

  Tensor forward(const Tensor& x) override;
  std::string name() const override;

  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }  // undefined without bias
  bool has_bias() const { return bias_.defined(); }
  std::size_t in_features() const { return in_; }
  std::size_t out_features() const { return out_; }

 private:
  std::size_t in_, out_;
  Tensor weight_;  // handles on the parameters registered with Module
  Tensor bias_;
};

}  // namespace xgrad
