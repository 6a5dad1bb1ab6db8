// Activation layers: parameter-free modules over the elementwise ops, so an
// activation can sit in a Sequential (and in describe()) like any layer.
//   Sigmoid: y = 1 / (1 + e^-x)  (the lecture's g)     name "Sigmoid"
//   Tanh:    y = tanh(x)                               name "Tanh"
//   ReLU:    y = max(x, 0)                             name "ReLU"
//   input: any shape -> output: same shape
// Activation names an activation kind for builders (Mlp) and command lines;
// activation_table() lists them once (name, help, factory), and the names,
// the parser and --activation's help come from it. Adding one: its class, an
// enum value and a table row.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/module.h"

namespace xgrad {

class Sigmoid : public Module {
 public:
  Tensor forward(const Tensor& x) override;
  std::string name() const override { return "Sigmoid"; }
};

class Tanh : public Module {
 public:
  Tensor forward(const Tensor& x) override;
  std::string name() const override { return "Tanh"; }
};

class ReLU : public Module {
 public:
  Tensor forward(const Tensor& x) override;
  std::string name() const override { return "ReLU"; }
};

enum class Activation { kSigmoid, kTanh, kReLU };

struct ActivationKind {
  Activation kind;
  const char* name;  // "sigmoid", "tanh", "relu"
  const char* help;  // one line for --help
  std::shared_ptr<Module> (*make)();
};
const std::vector<ActivationKind>& activation_table();

// "sigmoid", "tanh", "relu".
std::string activation_name(Activation kind);
// The inverse of activation_name; ValueError listing the choices otherwise.
Activation parse_activation(const std::string& name);
std::shared_ptr<Module> make_activation(Activation kind);

}  // namespace xgrad
