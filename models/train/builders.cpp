#include "models/train/builders.h"

#include "framework/generator.h"
#include "models/layers/activations.h"
#include "models/optim/adagrad.h"
#include "models/optim/adam.h"
#include "models/optim/adamw.h"
#include "models/cnn.h"
#include "models/logistic_regression.h"
#include "models/mlp.h"
#include "models/optim/rmsprop.h"
#include "models/optim/sgd.h"

namespace xgrad {

namespace {
[[noreturn]] void unknown(const std::string& what, const std::string& name,
                          const std::vector<std::string>& known) {
  std::string list;
  for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
  throw ValueError("unknown " + what + " '" + name + "' (known: " + list + ")");
}
}  // namespace

const std::vector<std::string>& model_kinds() {
  static const std::vector<std::string> kinds{"mlp", "logreg", "cnn"};
  return kinds;
}

bool takes_images(const ModelSpec& spec) { return spec.kind == "cnn"; }

std::shared_ptr<Module> make_model(const ModelSpec& spec) {
  Generator gen(spec.seed);
  if (spec.kind == "mlp") {
    MlpOptions options;
    options.sizes.push_back(spec.inputs);
    options.sizes.insert(options.sizes.end(), spec.hidden.begin(), spec.hidden.end());
    options.sizes.push_back(spec.classes);
    options.activation = parse_activation(spec.activation);
    options.dropout = spec.dropout;
    return std::make_shared<Mlp>(options, gen);
  }
  if (spec.kind == "logreg") return std::make_shared<LogisticRegression>(spec.inputs, spec.classes);
  if (spec.kind == "cnn") {
    CnnOptions o;
    o.in_channels = spec.channels;
    o.image = spec.image;
    o.classes = spec.classes;
    o.dropout = spec.dropout;
    o.c1 = spec.conv1;
    o.c2 = spec.conv2;
    return std::make_shared<Cnn>(o, gen);
  }
  unknown("model", spec.kind, model_kinds());
}

const std::vector<std::string>& optimizer_kinds() {
  static const std::vector<std::string> kinds{"sgd",     "momentum", "nesterov", "adagrad",
                                              "rmsprop", "adam",     "adamw"};
  return kinds;
}

double default_lr(const std::string& kind) {
  if (kind == "sgd") return 0.1;
  if (kind == "momentum" || kind == "nesterov" || kind == "adagrad" || kind == "rmsprop") {
    return 0.01;
  }
  if (kind == "adam" || kind == "adamw") return 1e-3;
  unknown("optimizer", kind, optimizer_kinds());
}

std::unique_ptr<Optimizer> make_optimizer(const OptimizerSpec& spec,
                                          std::vector<Parameter> params) {
  const double lr = spec.lr > 0 ? spec.lr : default_lr(spec.kind);
  const double wd = spec.weight_decay;
  if (spec.kind == "sgd" || spec.kind == "momentum" || spec.kind == "nesterov") {
    SgdOptions o;
    o.lr = lr;
    o.weight_decay = wd;
    o.momentum = spec.kind == "sgd" ? 0.0 : spec.momentum;
    o.nesterov = spec.kind == "nesterov";
    return std::make_unique<Sgd>(std::move(params), o);
  }
  if (spec.kind == "adagrad") {
    AdagradOptions o;
    o.lr = lr;
    o.weight_decay = wd;
    return std::make_unique<Adagrad>(std::move(params), o);
  }
  if (spec.kind == "rmsprop") {
    RmsPropOptions o;
    o.lr = lr;
    o.weight_decay = wd;
    return std::make_unique<RmsProp>(std::move(params), o);
  }
  if (spec.kind == "adam") {
    AdamOptions o;
    o.lr = lr;
    o.weight_decay = wd;
    return std::make_unique<Adam>(std::move(params), o);
  }
  if (spec.kind == "adamw") {
    AdamWOptions o;
    o.lr = lr;
    o.weight_decay = wd;
    return std::make_unique<AdamW>(std::move(params), o);
  }
  unknown("optimizer", spec.kind, optimizer_kinds());
}

}  // namespace xgrad
