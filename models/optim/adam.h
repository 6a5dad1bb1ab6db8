// Adam (Kingma & Ba 2015, Algorithm 1): per-element steps from bias-corrected
// running averages of the gradient and its square.
//   t ← t + 1
//   g ← ∂J/∂θ (+ wd · θ when weight decay applies to θ: the L2 form, coupled
//       to the gradient; AdamW decouples it)
//   m ← β1 m + (1 − β1) g
//   v ← β2 v + (1 − β2) g²
//   m̂ = m / (1 − β1^t),   v̂ = v / (1 − β2^t)
//   θ ← θ − α m̂ / (√v̂ + ε)
//   state: "<param>.m", "<param>.v" (zeros at the start) and "step" = t,
//   one step count for all parameters (a parameter without a gradient at
//   some step still sees t advance).
// Defaults as the paper's: α = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8.
#pragma once

#include "models/optim/optimizer.h"

namespace xgrad {

struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9;    // in [0, 1)
  double beta2 = 0.999;  // in [0, 1)
  double eps = 1e-8;
  double weight_decay = 0;
  bool decay_biases = false;
};

class Adam : public Optimizer {
 public:
  explicit Adam(std::vector<Parameter> params, AdamOptions options = {});
  // Adam(params, lr): the defaults with learning rate lr.
  template <class Lr, class = optimizer_detail::IfNumber<Lr>>
  Adam(std::vector<Parameter> params, Lr lr)
      : Adam(std::move(params), optimizer_detail::with_lr<AdamOptions>(double(lr))) {}
  // Parameter groups; `defaults` holds every option, and the lr and
  // weight_decay of groups that set none.
  explicit Adam(std::vector<ParamGroup> groups, AdamOptions defaults = {});

  std::string hyperparameters() const override;
  const AdamOptions& options() const { return options_; }

 protected:
  // decoupled = true: AdamW's decay (models/optim/adamw.h).
  Adam(std::vector<ParamGroup> groups, AdamOptions options, bool decoupled);

 private:
  void update(const ParamUpdate& p) override;
  AdamOptions options_;
};

}  // namespace xgrad
