#include "models/train/builders.h"

#include <algorithm>

#include "models/cnn.h"
#include "models/layers/activations.h"
#include "models/logistic_regression.h"
#include "models/mlp.h"
#include "models/table.h"

namespace xgrad {

namespace {
std::shared_ptr<Module> make_mlp(const ModelSpec& spec, Generator& gen) {
  MlpOptions options;
  options.sizes.push_back(spec.inputs);
  options.sizes.insert(options.sizes.end(), spec.hidden.begin(), spec.hidden.end());
  options.sizes.push_back(spec.classes);
  options.activation = parse_activation(spec.activation);
  options.dropout = spec.dropout;
  return std::make_shared<Mlp>(options, gen);
}

std::shared_ptr<Module> make_logreg(const ModelSpec& spec, Generator&) {
  return std::make_shared<LogisticRegression>(spec.inputs, spec.classes);
}

std::shared_ptr<Module> make_cnn(const ModelSpec& spec, Generator& gen) {
  CnnOptions o;
  o.in_channels = spec.channels;
  o.image = spec.image;
  o.classes = spec.classes;
  o.dropout = spec.dropout;
  o.c1 = spec.conv1;
  o.c2 = spec.conv2;
  return std::make_shared<Cnn>(o, gen);
}

}  // namespace

const std::vector<ModelKind>& model_table() {
  static const std::vector<ModelKind> table{
      {"mlp",
       "fully connected: --hidden units, --activation, --dropout",
       false,
       {"hidden", "activation", "dropout"},
       make_mlp},
      {"logreg",
       "multinomial logistic regression (softmax of one linear layer)",
       false,
       {},
       make_logreg},
      {"cnn",
       "LeNet-style: two convolutions (--channels), pools, three linear layers, --dropout",
       true,
       {"channels", "dropout"},
       make_cnn},
  };
  return table;
}

const ModelKind& find_model_kind(const std::string& kind) {
  return find_row(model_table(), kind, "model");
}

const std::vector<std::string>& model_kinds() {
  static const std::vector<std::string> names = table_names(model_table());
  return names;
}

bool takes_images(const ModelSpec& spec) { return find_model_kind(spec.kind).images; }

std::shared_ptr<Module> make_model(const ModelSpec& spec) {
  const ModelKind& kind = find_model_kind(spec.kind);
  Generator gen(spec.seed);
  return kind.make(spec, gen);
}

void check_model_options(const std::string& kind, const std::vector<std::string>& given) {
  const ModelKind& model = find_model_kind(kind);
  for (const std::string& option : given) {
    if (std::find(model.options.begin(), model.options.end(), option) != model.options.end()) {
      continue;
    }
    std::vector<std::string> users;
    for (const ModelKind& k : model_table()) {
      if (std::find(k.options.begin(), k.options.end(), option) != k.options.end()) {
        users.push_back(k.name);
      }
    }
    throw ValueError("--" + option + " does not apply to --model " + kind + " (it applies to: " +
                     (users.empty() ? std::string("no model") : joined(users)) + ")");
  }
}

std::unique_ptr<LRScheduler> make_lr_scheduler(const LrScheduleSpec& spec, Optimizer& optimizer,
                                               std::size_t total_steps) {
  const bool cosine = spec.kind == "cosine";
  if (!cosine && spec.kind != "constant") {
    throw ValueError("unknown learning-rate schedule '" + spec.kind +
                     "' (known: constant, cosine)");
  }
  const std::size_t n = spec.warmup_steps;
  if (!cosine && n == 0) return nullptr;
  if (!cosine) return std::make_unique<LinearLR>(optimizer, 1.0 / double(n), 1.0, n);
  if (n >= total_steps) {
    throw ValueError("--warmup-steps " + std::to_string(n) +
                     " leaves no steps for the cosine schedule: the run has " +
                     std::to_string(total_steps) + " steps");
  }
  if (n == 0) return std::make_unique<CosineAnnealingLR>(optimizer, total_steps);
  auto warmup = std::make_shared<LinearLR>(optimizer, 1.0 / double(n), 1.0, n);
  auto rest = std::make_shared<CosineAnnealingLR>(optimizer, total_steps - n);
  return std::make_unique<SequentialLR>(optimizer,
                                        std::vector<std::shared_ptr<LRScheduler>>{warmup, rest},
                                        std::vector<std::size_t>{n});
}

}  // namespace xgrad
