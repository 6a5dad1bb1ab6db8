#include "models/optim/adagrad.h"

#include <cmath>

#include "models/format.h"

namespace xgrad {

Adagrad::Adagrad(std::vector<Parameter> params, AdagradOptions options)
    : Adagrad({ParamGroup{std::move(params)}}, options) {}

Adagrad::Adagrad(std::vector<ParamGroup> groups, AdagradOptions options)
    : Optimizer("AdaGrad", std::move(groups), options.lr,
                {options.weight_decay, options.decay_biases, DecayForm::kL2}),
      options_(options) {
  require_positive("eps", options.eps);
  add_slots({{"sum_sq", true}});
}

std::string Adagrad::hyperparameters() const {
  return "eps=" + format_number(options_.eps) +
         ", weight_decay=" + format_number(options_.weight_decay);
}

void Adagrad::update(const ParamUpdate& p) {
  const double lr = p.lr(), eps = options_.eps;
  p.for_each<1>([=](auto& theta, auto g, auto& sum_sq) {
    using T = decltype(g);
    sum_sq += g * g;                                    // G ← G + g²
    theta -= T(lr) * g / (std::sqrt(sum_sq) + T(eps));  // θ ← θ − α g / (√G + ε)
  });
}

}  // namespace xgrad
