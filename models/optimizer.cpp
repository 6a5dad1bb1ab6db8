#include "models/optimizer.h"

namespace xgrad {

Optimizer::Optimizer(std::vector<Parameter> params, double lr)
    : params_(std::move(params)), lr_(lr) {
  if (!(lr >= 0)) throw ValueError("Optimizer: learning rate must be non-negative");
}

void Optimizer::zero_grad() {
  for (Parameter& p : params_) p.tensor.zero_grad();
}

NamedArrays Optimizer::state_dict() const { return {}; }

void Optimizer::load_state_dict(const NamedArrays& state) {
  if (!state.empty()) {
    throw ValueError("load_state_dict: " + name() + " keeps no state, but the checkpoint has '" +
                     state.front().first + "'");
  }
}

}  // namespace xgrad
