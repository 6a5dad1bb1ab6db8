// Conv2d: y = conv2d(x, W, b) (ops/conv2d.h) with its parameters.        (L16)
//   parameters: weight (Cout, Cin/groups, KH, KW) [weight], bias (Cout) [bias] unless bias=false
//   input (N, Cin, H, W) -> output (N, Cout, OH, OW)
// The layer has Cout·(Cin/groups)·KH·KW + Cout parameters whatever the image size: the
// same filter is applied at every position (local patches, shared weights).
// Default initialisation as PyTorch's: weight and bias ~ U(−1/√fan_in, 1/√fan_in) with
// fan_in = (Cin/groups)·KH·KW.
#pragma once

#include "framework/generator.h"
#include "models/module.h"
#include "ops/conv2d.h"

namespace xgrad {

class Conv2d : public Module {
 public:
  // REQUIRES: positive channels and kernel, channels divisible by groups (ValueError).
  Conv2d(std::size_t in_channels, std::size_t out_channels, Size2 kernel, Generator& gen,
         const Conv2dOptions& options = {}, bool bias = true, DType dtype = kFloat32);
  // A square kernel.
  Conv2d(std::size_t in_channels, std::size_t out_channels, std::size_t kernel, Generator& gen,
         const Conv2dOptions& options = {}, bool bias = true, DType dtype = kFloat32)
      : Conv2d(in_channels, out_channels, Size2{kernel, kernel}, gen, options, bias, dtype) {}

  Tensor forward(const Tensor& x) override;
  // e.g. "Conv2d(1 -> 6, kernel 5x5)", "Conv2d(6 -> 16, kernel 3x3, stride 2x2, padding 1x1)"
  std::string name() const override;

  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }  // undefined without bias
  std::size_t in_channels() const { return in_; }
  std::size_t out_channels() const { return out_; }
  Size2 kernel() const { return kernel_; }
  const Conv2dOptions& options() const { return options_; }

 private:
  std::size_t in_, out_;
  Size2 kernel_;
  Conv2dOptions options_;
  Tensor weight_;
  Tensor bias_;
};

}  // namespace xgrad
