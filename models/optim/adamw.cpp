#include "models/optim/adamw.h"

namespace xgrad {

AdamW::AdamW(std::vector<Parameter> params, AdamWOptions options)
    : Adam(std::move(params), options, true) {}

}  // namespace xgrad
