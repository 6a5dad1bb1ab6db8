// Cnn: a LeNet-style convolutional network (L16; the W4 benchmark's network):
//   conv1(Cin -> c1, k×k) -> ReLU -> max-pool p -> conv2(c1 -> c2, k×k) -> ReLU -> max-pool p
//   -> flatten (C, H, W order) -> fc1(c2·s·s -> fc1) -> ReLU -> [dropout]
//   -> fc2(fc1 -> fc2) -> ReLU -> [dropout] -> fc3(fc2 -> classes)   (logits)
// with valid (unpadded) stride-1 convolutions, s = ((image − k + 1)/p − k + 1)/p. The
// defaults (1×28×28 input, 6 and 16 channels, 5×5 kernels, 2×2 pools, 120/84/10) give
// s = 4, 256 flat features and 44,426 parameters; with image = 32 it is LeNet-5 (400 flat
// features, 61,706 parameters).
//   children, in forward order: conv1 pool1 relu1 conv2 pool2 relu2 flatten fc1 relu3
//   [drop1] fc2 relu4 [drop2] fc3 (the drop layers only when dropout > 0). Each pool runs
//   before its ReLU: the same function and gradients as ReLU then pool (max commutes with
//   the non-decreasing ReLU, ties and NaN included), with the ReLU on a quarter of the
//   elements.
//   input (N, Cin, image, image) -> output (N, classes)
// Dropout: models/layers/dropout.h (inverted dropout while training, the identity after eval()),
// each layer seeded from `gen` after every weight is drawn, so a Cnn with dropout has the
// same initial weights as one without. Initialisation: every layer as PyTorch's default
// (models/layers/conv2d.h, models/layers/linear.h), drawn from `gen` in layer order.
#pragma once

#include "framework/generator.h"
#include "models/module.h"

namespace xgrad {

struct CnnOptions {
  std::size_t in_channels = 1, image = 28;  // input (N, in_channels, image, image)
  std::size_t c1 = 6, c2 = 16;              // output channels of the two convolutions
  std::size_t kernel = 5;                   // both convolutions
  std::size_t pool = 2;                     // max-pool window and stride
  std::size_t fc1 = 120, fc2 = 84, classes = 10;
  double dropout = 0.0;  // probability of dropping a hidden unit of fc1 and of fc2
  DType dtype = kFloat32;
};

class Cnn : public Module {
 public:
  // REQUIRES: positive sizes, 0 <= dropout < 1, an image large enough for both
  // convolutions and pools (ValueError otherwise).
  Cnn(const CnnOptions& options, Generator& gen);

  Tensor forward(const Tensor& x) override;
  // e.g. "Cnn(1x28x28 -> 10)", "Cnn(3x32x32 -> 10, dropout=0.5)"
  std::string name() const override;

  const CnnOptions& options() const { return options_; }
  // Features after the second pool: c2 · s · s.
  std::size_t flat_features() const { return flat_; }

 private:
  CnnOptions options_;
  std::size_t flat_ = 0;
};

}  // namespace xgrad
