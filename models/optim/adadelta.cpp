#include "models/optim/adadelta.h"

#include <cmath>

#include "models/format.h"

namespace xgrad {

Adadelta::Adadelta(std::vector<Parameter> params, AdadeltaOptions options)
    : Adadelta({ParamGroup{std::move(params)}}, options) {}

Adadelta::Adadelta(std::vector<ParamGroup> groups, AdadeltaOptions options)
    : Optimizer("Adadelta", std::move(groups), options.lr,
                {options.weight_decay, options.decay_biases, DecayForm::kL2}),
      options_(options) {
  if (!(options.rho >= 0 && options.rho <= 1)) {
    throw ValueError("Adadelta: rho must be in [0, 1], got " + format_number(options.rho));
  }
  require_positive("eps", options.eps);
  add_slots({{"square_avg", true}, {"acc_delta", true}});
}

std::string Adadelta::hyperparameters() const {
  return "rho=" + format_number(options_.rho) + ", eps=" + format_number(options_.eps) +
         ", weight_decay=" + format_number(options_.weight_decay);
}

void Adadelta::update(const ParamUpdate& p) {
  const double lr = p.lr(), rho = options_.rho, eps = options_.eps;
  p.for_each<2>([=](auto& theta, auto g, auto& square_avg, auto& acc_delta) {
    using T = decltype(g);
    square_avg = T(rho) * square_avg + (T(1) - T(rho)) * (g * g);  // E[g²] ← ρ E[g²] + (1 − ρ) g²
    const T delta = std::sqrt(acc_delta + T(eps)) / std::sqrt(square_avg + T(eps)) * g;
    acc_delta = T(rho) * acc_delta + (T(1) - T(rho)) * (delta * delta);  // E[Δθ²] ← ...
    theta -= T(lr) * delta;                                              // θ ← θ − α Δθ
  });
}

}  // namespace xgrad
