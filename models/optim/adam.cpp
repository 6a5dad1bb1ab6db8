#include "models/optim/adam.h"

#include <cmath>

#include "models/format.h"

namespace xgrad {

Adam::Adam(std::vector<Parameter> params, AdamOptions options)
    : Adam({ParamGroup{std::move(params)}}, options, false) {}

Adam::Adam(std::vector<ParamGroup> groups, AdamOptions defaults)
    : Adam(std::move(groups), defaults, false) {}

Adam::Adam(std::vector<ParamGroup> groups, AdamOptions options, bool decoupled)
    : Optimizer(decoupled ? "AdamW" : "Adam", std::move(groups), options.lr,
                {options.weight_decay, options.decay_biases,
                 decoupled ? DecayForm::kDecoupled : DecayForm::kL2}),
      options_(options) {
  if (!(options.beta1 >= 0 && options.beta1 < 1) || !(options.beta2 >= 0 && options.beta2 < 1)) {
    throw ValueError(name() + ": betas must be in [0, 1), got (" + format_number(options.beta1) +
                     ", " + format_number(options.beta2) + ")");
  }
  require_positive("eps", options.eps);
  add_slots({{"m"}, {"v", true}});
}

std::string Adam::hyperparameters() const {
  return "betas=(" + format_number(options_.beta1) + ", " + format_number(options_.beta2) +
         "), eps=" + format_number(options_.eps) +
         ", weight_decay=" + format_number(options_.weight_decay);
}

void Adam::update(const ParamUpdate& p) {
  const double lr = p.lr(), b1 = options_.beta1, b2 = options_.beta2, eps = options_.eps;
  const double t = double(step_count());
  const double bc1 = 1 - std::pow(b1, t), bc2 = 1 - std::pow(b2, t);
  p.for_each<2>([=](auto& theta, auto g, auto& m, auto& v) {
    using T = decltype(g);
    m = T(b1) * m + (T(1) - T(b1)) * g;      // m ← β1 m + (1 − β1) g
    v = T(b2) * v + (T(1) - T(b2)) * g * g;  // v ← β2 v + (1 − β2) g²
    const T m_hat = m / T(bc1), v_hat = v / T(bc2);
    theta -= T(lr) * m_hat / (std::sqrt(v_hat) + T(eps));  // θ ← θ − α m̂ / (√v̂ + ε)
  });
}

}  // namespace xgrad
