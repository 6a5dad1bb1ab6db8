// AdaGrad (Duchi, Hazan & Singer 2011, the diagonal form): a learning rate
// per element, shrinking with that element's accumulated squared gradients.
//   g ← ∂J/∂θ (+ wd · θ when weight decay applies to θ)
//   G ← G + g²
//   θ ← θ − α g / (√G + ε)
//   state: "<param>.sum_sq" = G (zeros at the start)
// Defaults as PyTorch's: α = 0.01, ε = 1e-10.
#pragma once

#include "models/optim/optimizer.h"

namespace xgrad {

struct AdagradOptions {
  double lr = 0.01;
  double eps = 1e-10;
  double weight_decay = 0;
  bool decay_biases = false;
};

class Adagrad : public Optimizer {
 public:
  explicit Adagrad(std::vector<Parameter> params, AdagradOptions options = {});
  // Adagrad(params, lr): the defaults with learning rate lr.
  template <class Lr, class = optimizer_detail::IfNumber<Lr>>
  Adagrad(std::vector<Parameter> params, Lr lr)
      : Adagrad(std::move(params), optimizer_detail::with_lr<AdagradOptions>(double(lr))) {}
  // Parameter groups; `defaults` holds every option, and the lr and
  // weight_decay of groups that set none.
  explicit Adagrad(std::vector<ParamGroup> groups, AdagradOptions defaults = {});

  std::string hyperparameters() const override;
  const AdagradOptions& options() const { return options_; }

 private:
  void update(const ParamUpdate& p) override;
  AdagradOptions options_;
};

}  // namespace xgrad
