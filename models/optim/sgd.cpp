#include "models/optim/sgd.h"

#include "models/format.h"

namespace xgrad {

Sgd::Sgd(std::vector<Parameter> params, SgdOptions options)
    : Sgd({ParamGroup{std::move(params)}}, options) {}

Sgd::Sgd(std::vector<ParamGroup> groups, SgdOptions options)
    : Optimizer("SGD", std::move(groups), options.lr,
                {options.weight_decay, options.decay_biases, DecayForm::kL2}),
      options_(options) {
  require_unit_interval("momentum", options.momentum);
  if (options.nesterov && options.momentum == 0) {
    throw ValueError("SGD: Nesterov momentum needs momentum > 0");
  }
  if (options.momentum > 0) add_slots({{"velocity"}});
}

std::string Sgd::hyperparameters() const {
  std::string s;
  auto add = [&](const std::string& item) { s += (s.empty() ? "" : ", ") + item; };
  if (options_.momentum > 0) add("momentum=" + format_number(options_.momentum));
  if (options_.nesterov) add("nesterov");
  if (options_.weight_decay > 0) {
    add("weight_decay=" + format_number(options_.weight_decay));
    if (options_.decay_biases) add("decay_biases");
  }
  return s;
}

void Sgd::update(const ParamUpdate& p) {
  const double lr = p.lr(), beta = options_.momentum;
  if (beta == 0) {  // plain gradient descent: θ ← θ − α g
    p.for_each<0>([=](auto& theta, auto g) { theta -= decltype(g)(lr) * g; });
    return;
  }
  const bool nesterov = options_.nesterov;
  p.for_each<1>([=](auto& theta, auto g, auto& velocity) {
    using T = decltype(g);
    velocity = -T(lr) * g + T(beta) * velocity;  // δθ(t+1) = −α g + β δθ(t)
    theta += nesterov ? -T(lr) * g + T(beta) * velocity : velocity;
  });
}

}  // namespace xgrad
