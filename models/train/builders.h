// Builders: models and optimisers from names, for xgrad-train and for
// programs that take a model or optimiser choice on their command line.
//
//   auto model = make_model({"mlp", 784, 10, {256}, "relu", 0.0, 42});
//   auto opt = make_optimizer({"adam", 1e-3}, model->parameters());
//
// The model kinds are one table (model_table(): name, help, the options
// each reads, factory), as are the optimisers (models/optim/optimizers.h)
// and the activations (models/layers/activations.h); help texts and flag
// checks are made from the tables. An unknown name is a ValueError listing
// the known ones.
// Thread safety: the tables are immutable.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "framework/generator.h"
#include "models/module.h"
#include "models/optim/lr_schedule.h"
#include "models/optim/optimizers.h"
#include "models/table.h"

namespace xgrad {

struct ModelSpec {
  std::string kind = "mlp";  // a model_table() name: mlp | logreg | cnn
  std::size_t inputs = 784;  // features (mlp, logreg)
  std::size_t classes = 10;
  std::vector<std::size_t> hidden{256};  // hidden layer sizes (mlp)
  std::string activation = "relu";       // an activation_table() name (mlp)
  double dropout = 0;                    // after each hidden layer (mlp, cnn)
  std::uint64_t seed = 0;                // of the initial weights (and dropout masks)
  std::size_t channels = 1, image = 28;  // input images (cnn)
  std::size_t conv1 = 6, conv2 = 16;     // output channels of the two convolutions (cnn)
};

struct ModelKind {
  const char* name;  // for --model, e.g. "mlp"
  const char* help;  // one line for --help
  bool images;       // takes (N, C, H, W) images rather than (N, features)
  // The ModelSpec options it reads, by flag name without "--": "hidden",
  // "activation", "dropout", "channels".
  std::vector<std::string> options;
  std::shared_ptr<Module> (*make)(const ModelSpec& spec, Generator& gen);
};
const std::vector<ModelKind>& model_table();

// The row named `kind`; ValueError "unknown model 'x' (known: mlp, ...)".
const ModelKind& find_model_kind(const std::string& kind);
// Model kinds make_model knows, for help texts.
const std::vector<std::string>& model_kinds();
std::shared_ptr<Module> make_model(const ModelSpec& spec);
// True when the model takes (N, C, H, W) images rather than (N, features).
bool takes_images(const ModelSpec& spec);

// Per-step learning rates for a training run of `total_steps` optimiser
// steps (xgrad-train's --lr-schedule and --warmup-steps):
//   kind "constant": the optimiser's lr; "cosine": CosineAnnealingLR down to
//   0 after the last step. warmup_steps N > 0: first a LinearLR warm-up from
//   lr/N to lr over N steps (SequentialLR), then the kind's schedule.
struct LrScheduleSpec {
  std::string kind = "constant";  // constant | cosine
  std::size_t warmup_steps = 0;
};

// The scheduler over `optimizer`, or null when the lr stays constant.
// ValueError for an unknown kind, or a warm-up that leaves the cosine no
// steps.
std::unique_ptr<LRScheduler> make_lr_scheduler(const LrScheduleSpec& spec, Optimizer& optimizer,
                                               std::size_t total_steps);

// ValueError when a model option was given for a model that does not read
// it: "--activation does not apply to --model cnn (it applies to: mlp)".
// `given`: the option names set on the command line ("activation", ...).
void check_model_options(const std::string& kind, const std::vector<std::string>& given);

}  // namespace xgrad
