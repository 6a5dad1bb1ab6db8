#include "models/optim/adagrad.h"

#include <cmath>
#include <type_traits>

#include "models/format.h"

namespace xgrad {

Adagrad::Adagrad(std::vector<Parameter> params, AdagradOptions options)
    : Optimizer(std::move(params), options.lr), options_(options) {
  if (!(options.eps > 0))
    throw ValueError("AdaGrad: eps must be positive, got " + format_number(options.eps));
  if (!(options.weight_decay >= 0)) {
    throw ValueError("AdaGrad: weight_decay must be non-negative, got " +
                     format_number(options.weight_decay));
  }
  add_slots({"sum_sq"});
}

std::string Adagrad::describe() const {
  return "AdaGrad(lr=" + format_number(lr_) + ", eps=" + format_number(options_.eps) +
         ", weight_decay=" + format_number(options_.weight_decay) + ")";
}

void Adagrad::step() {
  ++steps_;
  const double lr = lr_, eps = options_.eps, wd = options_.weight_decay;
  update_each(options_.decay_biases, [=](auto& theta, auto grad, auto* sum_sq, auto*, bool decay) {
    using T = std::decay_t<decltype(theta)>;
    const T g = decay && wd > 0 ? grad + T(wd) * theta : grad;
    *sum_sq += g * g;                                    // G ← G + g²
    theta -= T(lr) * g / (std::sqrt(*sum_sq) + T(eps));  // θ ← θ − α g / (√G + ε)
  });
}

}  // namespace xgrad
