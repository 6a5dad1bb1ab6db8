// SGD: gradient descent (L10) with optional momentum (L14) and Nesterov
// momentum, as the lecture writes it.
//   g ← ∂J/∂θ (+ wd · θ when weight decay applies to θ: L2, the gradient of
//       (wd/2)‖θ‖²)
//   plain (β = 0):  θ ← θ − α g
//   momentum:       δθ(t+1) = −α g + β δθ(t),   θ ← θ + δθ(t+1)      (L14)
//   Nesterov:       δθ(t+1) = −α g + β δθ(t),   θ ← θ − α g + β δθ(t+1)
//                   (the look-ahead step of Sutskever et al. 2013, in the form
//                   PyTorch uses)
//   state: "<param>.velocity" = δθ (only when β > 0)
// For a constant α this is PyTorch's SGD exactly: with v = βv + g and
// θ −= αv, δθ = −αv at every step (and Nesterov's θ −= α(g + βv) is the
// same update). When α changes (a schedule), the lecture's δθ keeps the
// old step's α inside it while PyTorch's v rescales with the new α; xgrad
// follows the lecture.
#pragma once

#include "models/optim/optimizer.h"

namespace xgrad {

struct SgdOptions {
  double lr = 0.01;       // α
  double momentum = 0;    // β in [0, 1)
  bool nesterov = false;  // REQUIRES momentum > 0
  double weight_decay = 0;
  bool decay_biases = false;
};

class Sgd : public Optimizer {
 public:
  explicit Sgd(std::vector<Parameter> params, SgdOptions options = {});
  // Sgd(params, lr): the defaults with learning rate lr.
  template <class Lr, class = optimizer_detail::IfNumber<Lr>>
  Sgd(std::vector<Parameter> params, Lr lr)
      : Sgd(std::move(params), optimizer_detail::with_lr<SgdOptions>(double(lr))) {}
  // Parameter groups; `defaults` holds every option, and the lr and
  // weight_decay of groups that set none.
  explicit Sgd(std::vector<ParamGroup> groups, SgdOptions defaults = {});

  std::string hyperparameters() const override;
  const SgdOptions& options() const { return options_; }

 private:
  void update(const ParamUpdate& p) override;
  SgdOptions options_;
};

}  // namespace xgrad
