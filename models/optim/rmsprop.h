// RMSProp (Hinton, Srivastava & Swersky, Neural Networks for Machine
// Learning, lecture 6e, 2012): divide the gradient by a running average of
// its recent magnitude.
//   g ← ∂J/∂θ (+ wd · θ when weight decay applies to θ)
//   E ← ρ E + (1 − ρ) g²
//   θ ← θ − α g / (√E + ε)
//   state: "<param>.mean_sq" = E (zeros at the start)
// Defaults as PyTorch's: α = 0.01, ρ = 0.99 (PyTorch calls it alpha;
// Hinton's slides suggest 0.9), ε = 1e-8 (outside the square root, as
// PyTorch).
#pragma once

#include "models/optim/optimizer.h"

namespace xgrad {

struct RmsPropOptions {
  double lr = 0.01;
  double rho = 0.99;  // decay of the running average, in [0, 1)
  double eps = 1e-8;
  double weight_decay = 0;
  bool decay_biases = false;
};

class RmsProp : public Optimizer {
 public:
  explicit RmsProp(std::vector<Parameter> params, RmsPropOptions options = {});
  // RmsProp(params, lr): the defaults with learning rate lr.
  template <class Lr, class = optimizer_detail::IfNumber<Lr>>
  RmsProp(std::vector<Parameter> params, Lr lr)
      : RmsProp(std::move(params), optimizer_detail::with_lr<RmsPropOptions>(double(lr))) {}
  // Parameter groups; `defaults` holds every option, and the lr and
  // weight_decay of groups that set none.
  explicit RmsProp(std::vector<ParamGroup> groups, RmsPropOptions defaults = {});

  std::string hyperparameters() const override;
  const RmsPropOptions& options() const { return options_; }

 private:
  void update(const ParamUpdate& p) override;
  RmsPropOptions options_;
};

}  // namespace xgrad
