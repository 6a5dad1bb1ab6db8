// Pooling layers over the pooling ops (ops/max_pool2d.h, ops/avg_pool2d.h); no parameters.
//   MaxPool2d(options)   name e.g. "MaxPool2d(kernel 2x2, stride 2x2)"
//   AvgPool2d(options)   name e.g. "AvgPool2d(kernel 3x3, stride 2x2, padding 1x1)"
//                        (the padding counts in the divisor, see ops/avg_pool2d.h)
//   input (N, C, H, W) -> output (N, C, OH, OW)
#pragma once

#include "models/module.h"
#include "ops/conv_options.h"

namespace xgrad {

class MaxPool2d : public Module {
 public:
  explicit MaxPool2d(const Pool2dOptions& options) : options_(options) {}
  Tensor forward(const Tensor& x) override;
  std::string name() const override;
  const Pool2dOptions& options() const { return options_; }

 private:
  Pool2dOptions options_;
};

class AvgPool2d : public Module {
 public:
  explicit AvgPool2d(const Pool2dOptions& options) : options_(options) {}
  Tensor forward(const Tensor& x) override;
  std::string name() const override;
  const Pool2dOptions& options() const { return options_; }

 private:
  Pool2dOptions options_;
};

}  // namespace xgrad
