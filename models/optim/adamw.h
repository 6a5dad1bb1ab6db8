// AdamW (Loshchilov & Hutter 2019, "Decoupled Weight Decay
// Regularization", Algorithm 2): Adam with the weight decay taken out of
// the gradient (so it is not rescaled by 1/√v̂) and applied to θ directly.
//   t ← t + 1
//   g ← ∂J/∂θ                                   (no wd · θ here)
//   m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²
//   m̂ = m / (1 − β1^t),      v̂ = v / (1 − β2^t)
//   θ ← θ − α λ θ            (when weight decay applies to θ)
//   θ ← θ − α m̂ / (√v̂ + ε)
//   state as Adam's: "<param>.m", "<param>.v", "step".
// The paper writes θ ← θ − η_t (α m̂ / (√v̂ + ε) + λ θ) with a schedule
// multiplier η_t; xgrad, like PyTorch, scales the decay by the current
// learning rate α (which carries the schedule), so the paper's λ equals
// xgrad's α · weight_decay. Default weight_decay 0.01 (PyTorch's).
#pragma once

#include "models/optim/adam.h"

namespace xgrad {

// Adam's options with PyTorch's AdamW default weight decay (an aggregate
// of its own, so designated initialisers work: AdamWOptions{.lr = 3e-4}).
struct AdamWOptions {
  double lr = 1e-3;
  double beta1 = 0.9;    // in [0, 1)
  double beta2 = 0.999;  // in [0, 1)
  double eps = 1e-8;
  double weight_decay = 1e-2;
  bool decay_biases = false;
};

class AdamW : public Adam {
 public:
  explicit AdamW(std::vector<Parameter> params, AdamWOptions options = {});
  // AdamW(params, lr): the defaults with learning rate lr.
  template <class Lr, class = optimizer_detail::IfNumber<Lr>>
  AdamW(std::vector<Parameter> params, Lr lr)
      : AdamW(std::move(params), optimizer_detail::with_lr<AdamWOptions>(double(lr))) {}
  // Parameter groups, as Adam's.
  explicit AdamW(std::vector<ParamGroup> groups, AdamWOptions defaults = {});
};

}  // namespace xgrad
