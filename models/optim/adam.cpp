#include "models/optim/adam.h"

#include <cmath>
#include <type_traits>

#include "models/format.h"

namespace xgrad {

Adam::Adam(std::vector<Parameter> params, AdamOptions options)
    : Adam(std::move(params), options, false) {}

Adam::Adam(std::vector<Parameter> params, AdamOptions options, bool decoupled)
    : Optimizer(std::move(params), options.lr), options_(options), decoupled_(decoupled) {
  const std::string who = name();
  if (!(options.beta1 >= 0 && options.beta1 < 1) || !(options.beta2 >= 0 && options.beta2 < 1)) {
    throw ValueError(who + ": betas must be in [0, 1), got (" + format_number(options.beta1) +
                     ", " + format_number(options.beta2) + ")");
  }
  if (!(options.eps > 0))
    throw ValueError(who + ": eps must be positive, got " + format_number(options.eps));
  if (!(options.weight_decay >= 0)) {
    throw ValueError(who + ": weight_decay must be non-negative, got " +
                     format_number(options.weight_decay));
  }
  add_slots({"m", "v"});
}

std::string Adam::describe() const {
  return name() + "(lr=" + format_number(lr_) + ", betas=(" + format_number(options_.beta1) + ", " +
         format_number(options_.beta2) + "), eps=" + format_number(options_.eps) +
         ", weight_decay=" + format_number(options_.weight_decay) + ")";
}

void Adam::step() {
  ++steps_;
  const double lr = lr_, b1 = options_.beta1, b2 = options_.beta2, eps = options_.eps;
  const double wd = options_.weight_decay;
  const bool decoupled = decoupled_;
  const double t = double(steps_);
  const double bc1 = 1 - std::pow(b1, t), bc2 = 1 - std::pow(b2, t);
  update_each(options_.decay_biases, [=](auto& theta, auto grad, auto* m, auto* v, bool decay) {
    using T = std::decay_t<decltype(theta)>;
    const bool apply_wd = decay && wd > 0;
    const T g = apply_wd && !decoupled ? grad + T(wd) * theta : grad;
    *m = T(b1) * *m + (T(1) - T(b1)) * g;      // m ← β1 m + (1 − β1) g
    *v = T(b2) * *v + (T(1) - T(b2)) * g * g;  // v ← β2 v + (1 − β2) g²
    const T m_hat = *m / T(bc1), v_hat = *v / T(bc2);
    if (apply_wd && decoupled) theta -= T(lr) * T(wd) * theta;  // AdamW: θ ← θ − α λ θ
    theta -= T(lr) * m_hat / (std::sqrt(v_hat) + T(eps));  // θ ← θ − α m̂ / (√v̂ + ε)
  });
}

}  // namespace xgrad
