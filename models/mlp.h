// Mlp: the lecture's fully connected network as a Sequential.
//   sizes {784, 256, 10}, relu, dropout p:
//     Linear(784 -> 256), ReLU, Dropout(p=...), Linear(256 -> 10)
//   no activation after the last layer: the model outputs logits, and the
//   loss (softmax or sigmoid cross-entropy from logits) applies the output
//   nonlinearity in a numerically stable way. Dropout (when p > 0) follows
//   every hidden activation, never the input or the output.
//   name "Mlp(784-256-10, relu)" or "Mlp(784-256-10, relu, dropout=0.5)"
//   input (N, sizes.front()) -> logits (N, sizes.back())
// Children are named "0", "1", ... as in any Sequential, so parameters read
// "0.weight", "0.bias", "2.weight", ... (indices count the activation and
// dropout layers too).
// Initialisation: Linear's default, U(-1/√in, 1/√in), drawn layer by layer
// from `gen`; the dropout layers' seeds are drawn from `gen` after all the
// weights, so switching dropout on does not change the initial weights.
#pragma once

#include <cstddef>
#include <vector>

#include "framework/generator.h"
#include "models/layers/activations.h"
#include "models/sequential.h"

namespace xgrad {

struct MlpOptions {
  std::vector<std::size_t> sizes;  // input, hidden..., output; at least two
  Activation activation = Activation::kReLU;
  double dropout = 0;  // p of the Dropout after each hidden activation; 0 = none
  DType dtype = kFloat32;
};

class Mlp : public Sequential {
 public:
  Mlp(MlpOptions options, Generator& gen);

  std::string name() const override;
  const MlpOptions& options() const { return options_; }

 private:
  MlpOptions options_;
};

}  // namespace xgrad
