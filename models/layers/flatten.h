// Flatten: (N, d1, d2, ...) -> (N, d1·d2·...), keeping the batch dimension and the
// row-major (C, H, W) order of each sample (ops/reshape.h); no parameters.
#pragma once

#include "models/module.h"

namespace xgrad {

class Flatten : public Module {
 public:
  Tensor forward(const Tensor& x) override;
  std::string name() const override { return "Flatten"; }
};

}  // namespace xgrad
