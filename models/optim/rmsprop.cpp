#include "models/optim/rmsprop.h"

#include <cmath>

#include "models/format.h"

namespace xgrad {

RmsProp::RmsProp(std::vector<Parameter> params, RmsPropOptions options)
    : RmsProp({ParamGroup{std::move(params)}}, options) {}

RmsProp::RmsProp(std::vector<ParamGroup> groups, RmsPropOptions options)
    : Optimizer("RMSProp", std::move(groups), options.lr,
                {options.weight_decay, options.decay_biases, DecayForm::kL2}),
      options_(options) {
  require_unit_interval("rho", options.rho);
  require_positive("eps", options.eps);
  add_slots({{"mean_sq", true}});
}

std::string RmsProp::hyperparameters() const {
  return "rho=" + format_number(options_.rho) + ", eps=" + format_number(options_.eps) +
         ", weight_decay=" + format_number(options_.weight_decay);
}

void RmsProp::update(const ParamUpdate& p) {
  const double lr = p.lr(), rho = options_.rho, eps = options_.eps;
  p.for_each<1>([=](auto& theta, auto g, auto& mean_sq) {
    using T = decltype(g);
    mean_sq = T(rho) * mean_sq + (T(1) - T(rho)) * g * g;  // E ← ρE + (1 − ρ)g²
    theta -= T(lr) * g / (std::sqrt(mean_sq) + T(eps));    // θ ← θ − α g / (√E + ε)
  });
}

}  // namespace xgrad
