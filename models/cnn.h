// Cnn: a LeNet-style convolutional network (L16; the W4 benchmark's network):
//   conv(Cin -> c1, k×k) -> ReLU -> max-pool p -> conv(c1 -> c2, k×k) -> ReLU -> max-pool p
//   -> flatten (C, H, W order) -> linear(c2·s·s -> fc1) -> ReLU -> [dropout]
//   -> linear(fc1 -> fc2) -> ReLU -> [dropout] -> linear(fc2 -> classes)   (logits)
// with valid (unpadded) stride-1 convolutions, s = ((image − k + 1)/p − k + 1)/p. The
// defaults (1×28×28 input, 6 and 16 channels, 5×5 kernels, 2×2 pools, 120/84/10) give
// s = 4, flat features 256 and 44,426 parameters; with image = 32 it is LeNet-5 (400
// flat features, 61,706 parameters).
//   children: conv1, pool1, conv2, pool2, flatten, fc1, fc2, fc3
//   input (N, Cin, image, image) -> output (N, classes)
// Dropout (p > 0) is inverted dropout after fc1's and fc2's ReLU while training (after
// train(); the identity after eval()): each unit is kept with probability 1 − p and scaled
// by 1/(1 − p). Masks come from the network's own Generator, seeded by dropout_seed.
// Initialisation: every layer as PyTorch's default (models/conv2d.h, models/linear.h),
// drawn from `gen` in layer order.
#pragma once

#include <cstdint>
#include <memory>

#include "framework/generator.h"
#include "models/conv2d.h"
#include "models/flatten.h"
#include "models/linear.h"
#include "models/module.h"
#include "models/pooling.h"

namespace xgrad {

struct CnnOptions {
  std::size_t in_channels = 1, image = 28;  // input (N, in_channels, image, image)
  std::size_t c1 = 6, c2 = 16;              // output channels of the two convolutions
  std::size_t kernel = 5;                   // both convolutions
  std::size_t pool = 2;                     // max-pool window and stride
  std::size_t fc1 = 120, fc2 = 84, classes = 10;
  double dropout = 0.0;  // probability of dropping a hidden unit of fc1 / fc2
  std::uint64_t dropout_seed = 0;
  DType dtype = kFloat32;
};

class Cnn : public Module {
 public:
  // REQUIRES: positive sizes, 0 <= dropout <= 1, an image large enough for both
  // convolutions and pools (ValueError otherwise).
  Cnn(const CnnOptions& options, Generator& gen);

  Tensor forward(const Tensor& x) override;
  // e.g. "Cnn(1x28x28 -> 10)"
  std::string name() const override;

  const CnnOptions& options() const { return options_; }
  // Features after the second pool: c2 · s · s.
  std::size_t flat_features() const { return flat_; }
  const Conv2d& conv1() const { return *conv1_; }
  const Conv2d& conv2() const { return *conv2_; }

 private:
  Tensor dropout(const Tensor& h);

  CnnOptions options_;
  std::size_t flat_ = 0;
  std::shared_ptr<Conv2d> conv1_, conv2_;
  std::shared_ptr<MaxPool2d> pool1_, pool2_;
  std::shared_ptr<Flatten> flatten_;
  std::shared_ptr<Linear> fc1_, fc2_, fc3_;
  Generator dropout_gen_;
};

}  // namespace xgrad
