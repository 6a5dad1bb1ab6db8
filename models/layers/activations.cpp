#include "models/layers/activations.h"

#include "ops/relu.h"
#include "ops/sigmoid.h"
#include "ops/tanh.h"

namespace xgrad {

Tensor Sigmoid::forward(const Tensor& x) { return sigmoid(x); }
Tensor Tanh::forward(const Tensor& x) { return tanh(x); }
Tensor ReLU::forward(const Tensor& x) { return relu(x); }

std::string activation_name(Activation kind) {
  switch (kind) {
    case Activation::kSigmoid:
      return "sigmoid";
    case Activation::kTanh:
      return "tanh";
    case Activation::kReLU:
      return "relu";
  }
  throw ValueError("activation_name: unknown activation");
}

Activation parse_activation(const std::string& name) {
  for (Activation kind : {Activation::kSigmoid, Activation::kTanh, Activation::kReLU}) {
    if (activation_name(kind) == name) return kind;
  }
  throw ValueError("unknown activation '" + name + "': expected sigmoid, tanh or relu");
}

std::shared_ptr<Module> make_activation(Activation kind) {
  switch (kind) {
    case Activation::kSigmoid:
      return std::make_shared<Sigmoid>();
    case Activation::kTanh:
      return std::make_shared<Tanh>();
    case Activation::kReLU:
      return std::make_shared<ReLU>();
  }
  throw ValueError("make_activation: unknown activation");
}

}  // namespace xgrad
