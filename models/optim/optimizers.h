// The optimisers by name: one table, from which make_optimizer, the
// command line's --optimizer choices and its help text are made
// (models/train/builders.h, tools/train/main.cpp). Including this header
// includes every optimiser.
//
//   std::unique_ptr<Optimizer> opt = make_optimizer({"adam", 1e-3}, model->parameters());
//
// Adding an optimiser: its header and source in models/optim/, its test in
// tests/models/optim/, and one #include and one row below.
// Thread safety: the table is immutable.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/optim/adadelta.h"
#include "models/optim/adagrad.h"
#include "models/optim/adam.h"
#include "models/optim/adamw.h"
#include "models/optim/optimizer.h"
#include "models/optim/rmsprop.h"
#include "models/optim/sgd.h"

namespace xgrad {

// What a command line chooses; each kind reads the fields that apply to it.
struct OptimizerSpec {
  std::string kind = "adam";
  std::optional<double> lr;  // empty: the kind's default (OptimizerKind::lr)
  double weight_decay = 0;
  double momentum = 0.9;  // momentum and nesterov
};

struct OptimizerKind {
  const char* name;  // for --optimizer, e.g. "adam"
  double lr;         // default learning rate
  const char* help;  // one line for --help
  std::unique_ptr<Optimizer> (*make)(std::vector<Parameter> params, const OptimizerSpec& spec,
                                     double lr);
};

namespace optimizer_table_detail {
// The common case: Options{lr, weight_decay}, everything else the method's default.
template <class O, class Options>
std::unique_ptr<Optimizer> make(std::vector<Parameter> params, const OptimizerSpec& spec,
                                double lr) {
  Options o;
  o.lr = lr;
  o.weight_decay = spec.weight_decay;
  return std::make_unique<O>(std::move(params), o);
}

template <bool kNesterov>
std::unique_ptr<Optimizer> sgd_momentum(std::vector<Parameter> params, const OptimizerSpec& spec,
                                        double lr) {
  SgdOptions o;
  o.lr = lr;
  o.weight_decay = spec.weight_decay;
  o.momentum = spec.momentum;
  o.nesterov = kNesterov;
  return std::make_unique<Sgd>(std::move(params), o);
}
}  // namespace optimizer_table_detail

inline const std::vector<OptimizerKind>& optimizer_table() {
  namespace d = optimizer_table_detail;
  static const std::vector<OptimizerKind> table{
      {"sgd", 0.1, "gradient descent (L10)", d::make<Sgd, SgdOptions>},
      {"momentum", 0.01, "SGD with momentum 0.9 (L14)", d::sgd_momentum<false>},
      {"nesterov", 0.01, "SGD with Nesterov momentum 0.9", d::sgd_momentum<true>},
      {"adagrad", 0.01, "AdaGrad (Duchi et al. 2011)", d::make<Adagrad, AdagradOptions>},
      {"rmsprop", 0.01, "RMSProp (Hinton 2012)", d::make<RmsProp, RmsPropOptions>},
      {"adadelta", 1.0, "Adadelta (Zeiler 2012)", d::make<Adadelta, AdadeltaOptions>},
      {"adam", 1e-3, "Adam (Kingma & Ba 2015)", d::make<Adam, AdamOptions>},
      {"adamw", 1e-3, "AdamW, decoupled decay (Loshchilov & Hutter 2019)",
       d::make<AdamW, AdamWOptions>},
  };
  return table;
}

// The row named `kind`; ValueError "unknown optimizer 'x' (known: sgd, ...)".
const OptimizerKind& find_optimizer_kind(const std::string& kind);
// The table's names, in its order, for help texts and flag checks.
const std::vector<std::string>& optimizer_kinds();
double default_lr(const std::string& kind);
// The optimiser spec.kind names over `params`, with spec.lr or the kind's
// default. The optimiser's own checks reject a bad lr or weight decay.
std::unique_ptr<Optimizer> make_optimizer(const OptimizerSpec& spec, std::vector<Parameter> params);

}  // namespace xgrad
