#include "models/optim/adamw.h"

namespace xgrad {

namespace {
AdamOptions as_adam(const AdamWOptions& o) {
  return {o.lr, o.beta1, o.beta2, o.eps, o.weight_decay, o.decay_biases};
}
}  // namespace

AdamW::AdamW(std::vector<Parameter> params, AdamWOptions options)
    : AdamW({ParamGroup{std::move(params)}}, options) {}

AdamW::AdamW(std::vector<ParamGroup> groups, AdamWOptions defaults)
    : Adam(std::move(groups), as_adam(defaults), true) {}

}  // namespace xgrad
