// Adadelta (Zeiler 2012, "ADADELTA: An Adaptive Learning Rate Method",
// Algorithm 1), as PyTorch's torch.optim.Adadelta: a step whose units match
// θ's, from running averages of squared gradients and squared steps.
//   g ← ∂J/∂θ (+ wd · θ when weight decay applies to θ: L2, coupled)
//   E[g²] ← ρ E[g²] + (1 − ρ) g²
//   Δθ = √(E[Δθ²] + ε) / √(E[g²] + ε) · g
//   E[Δθ²] ← ρ E[Δθ²] + (1 − ρ) Δθ²
//   θ ← θ − α Δθ                                  (the paper has α = 1)
//   state: "<param>.square_avg" = E[g²], "<param>.acc_delta" = E[Δθ²]
//   (PyTorch's names; zeros at the start, never negative)
// Defaults as PyTorch's: α = 1, ρ = 0.9, ε = 1e-6. PyTorch accepts ε = 0,
// which divides 0 by 0 on the first step; xgrad requires ε > 0.
#pragma once

#include "models/optim/optimizer.h"

namespace xgrad {

struct AdadeltaOptions {
  double lr = 1.0;
  double rho = 0.9;  // decay of both running averages, in [0, 1]
  double eps = 1e-6;
  double weight_decay = 0;
  bool decay_biases = false;
};

class Adadelta : public Optimizer {
 public:
  explicit Adadelta(std::vector<Parameter> params, AdadeltaOptions options = {});
  // Adadelta(params, lr): the defaults with learning rate lr.
  template <class Lr, class = optimizer_detail::IfNumber<Lr>>
  Adadelta(std::vector<Parameter> params, Lr lr)
      : Adadelta(std::move(params), optimizer_detail::with_lr<AdadeltaOptions>(double(lr))) {}
  // Parameter groups; `defaults` holds every option, and the lr and
  // weight_decay of groups that set none.
  explicit Adadelta(std::vector<ParamGroup> groups, AdadeltaOptions defaults = {});

  std::string hyperparameters() const override;
  const AdadeltaOptions& options() const { return options_; }

 private:
  void update(const ParamUpdate& p) override;
  AdadeltaOptions options_;
};

}  // namespace xgrad
