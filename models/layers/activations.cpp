#include "models/layers/activations.h"

#include "ops/relu.h"
#include "ops/sigmoid.h"
#include "ops/tanh.h"

namespace xgrad {

Tensor Sigmoid::forward(const Tensor& x) { return sigmoid(x); }
Tensor Tanh::forward(const Tensor& x) { return tanh(x); }
Tensor ReLU::forward(const Tensor& x) { return relu(x); }

namespace {
template <class M>
std::shared_ptr<Module> make() {
  return std::make_shared<M>();
}

const ActivationKind& find(Activation kind) {
  for (const ActivationKind& k : activation_table()) {
    if (k.kind == kind) return k;
  }
  throw ValueError("activation: unknown kind " + std::to_string(int(kind)));
}
}  // namespace

const std::vector<ActivationKind>& activation_table() {
  static const std::vector<ActivationKind> table{
      {Activation::kSigmoid, "sigmoid", "1 / (1 + e^-x), the lecture's g", make<Sigmoid>},
      {Activation::kTanh, "tanh", "tanh(x)", make<Tanh>},
      {Activation::kReLU, "relu", "max(x, 0)", make<ReLU>},
  };
  return table;
}

std::string activation_name(Activation kind) { return find(kind).name; }

Activation parse_activation(const std::string& name) {
  std::string known;
  const auto& table = activation_table();
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (name == table[i].name) return table[i].kind;
    known += std::string(i == 0 ? "" : i + 1 == table.size() ? " or " : ", ") + table[i].name;
  }
  throw ValueError("unknown activation '" + name + "': expected " + known);
}

std::shared_ptr<Module> make_activation(Activation kind) { return find(kind).make(); }

}  // namespace xgrad
