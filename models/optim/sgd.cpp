#include "models/optim/sgd.h"

#include <type_traits>

#include "models/format.h"

namespace xgrad {

Sgd::Sgd(std::vector<Parameter> params, SgdOptions options)
    : Optimizer(std::move(params), options.lr), options_(options) {
  if (!(options.momentum >= 0 && options.momentum < 1)) {
    throw ValueError("SGD: momentum must be in [0, 1), got " + format_number(options.momentum));
  }
  if (options.nesterov && options.momentum == 0) {
    throw ValueError("SGD: Nesterov momentum needs momentum > 0");
  }
  if (!(options.weight_decay >= 0)) {
    throw ValueError("SGD: weight_decay must be non-negative, got " +
                     format_number(options.weight_decay));
  }
  if (options.momentum > 0) add_slots({"velocity"});
}

std::string Sgd::describe() const {
  std::string s = "SGD(lr=" + format_number(lr_);
  if (options_.momentum > 0) s += ", momentum=" + format_number(options_.momentum);
  if (options_.nesterov) s += ", nesterov";
  if (options_.weight_decay > 0) {
    s += ", weight_decay=" + format_number(options_.weight_decay);
    if (options_.decay_biases) s += ", decay_biases";
  }
  return s + ")";
}

void Sgd::step() {
  ++steps_;
  const double lr = lr_, beta = options_.momentum, wd = options_.weight_decay;
  const bool nesterov = options_.nesterov;
  update_each(options_.decay_biases,
              [=](auto& theta, auto grad, auto* velocity, auto*, bool decay) {
                using T = std::decay_t<decltype(theta)>;
                const T g = decay && wd > 0 ? grad + T(wd) * theta : grad;
                if (!velocity) {  // plain gradient descent
                  theta -= T(lr) * g;
                  return;
                }
                *velocity = -T(lr) * g + T(beta) * *velocity;  // δθ(t+1) = −α g + β δθ(t)
                theta += nesterov ? -T(lr) * g + T(beta) * *velocity : *velocity;
              });
}

}  // namespace xgrad
