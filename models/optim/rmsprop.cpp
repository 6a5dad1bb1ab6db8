#include "models/optim/rmsprop.h"

#include <cmath>
#include <type_traits>

#include "models/format.h"

namespace xgrad {

RmsProp::RmsProp(std::vector<Parameter> params, RmsPropOptions options)
    : Optimizer(std::move(params), options.lr), options_(options) {
  if (!(options.rho >= 0 && options.rho < 1)) {
    throw ValueError("RMSProp: rho must be in [0, 1), got " + format_number(options.rho));
  }
  if (!(options.eps > 0))
    throw ValueError("RMSProp: eps must be positive, got " + format_number(options.eps));
  if (!(options.weight_decay >= 0)) {
    throw ValueError("RMSProp: weight_decay must be non-negative, got " +
                     format_number(options.weight_decay));
  }
  add_slots({"mean_sq"});
}

std::string RmsProp::describe() const {
  return "RMSProp(lr=" + format_number(lr_) + ", rho=" + format_number(options_.rho) +
         ", eps=" + format_number(options_.eps) +
         ", weight_decay=" + format_number(options_.weight_decay) + ")";
}

void RmsProp::step() {
  ++steps_;
  const double lr = lr_, rho = options_.rho, eps = options_.eps, wd = options_.weight_decay;
  update_each(options_.decay_biases, [=](auto& theta, auto grad, auto* mean_sq, auto*, bool decay) {
    using T = std::decay_t<decltype(theta)>;
    const T g = decay && wd > 0 ? grad + T(wd) * theta : grad;
    *mean_sq = T(rho) * *mean_sq + (T(1) - T(rho)) * g * g;  // E ← ρE + (1 − ρ)g²
    theta -= T(lr) * g / (std::sqrt(*mean_sq) + T(eps));     // θ ← θ − α g / (√E + ε)
  });
}

}  // namespace xgrad
