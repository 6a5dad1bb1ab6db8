// Builders: models and optimisers from names, for xgrad-train and for
// programs that take a model or optimiser choice on their command line.
//
//   auto model = make_model({"mlp", 784, 10, {256}, "relu", 0.0, 42});
//   auto opt = make_optimizer({"adam", 1e-3, 0.0}, model->parameters());
//
// An unknown name is a ValueError listing the known ones.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/module.h"
#include "models/optim/optimizer.h"

namespace xgrad {

struct ModelSpec {
  std::string kind = "mlp";  // mlp | logreg | cnn
  std::size_t inputs = 784;  // features (mlp, logreg)
  std::size_t classes = 10;
  std::vector<std::size_t> hidden{256};  // hidden layer sizes (mlp)
  std::string activation = "relu";       // sigmoid | tanh | relu (mlp)
  double dropout = 0;                    // after each hidden layer (mlp, cnn)
  std::uint64_t seed = 0;                // of the initial weights (and dropout masks)
  std::size_t channels = 1, image = 28;  // input images (cnn)
  std::size_t conv1 = 6, conv2 = 16;     // output channels of the two convolutions (cnn)
};

// Model kinds make_model knows, for help texts.
const std::vector<std::string>& model_kinds();
std::shared_ptr<Module> make_model(const ModelSpec& spec);
// True when the model takes (N, C, H, W) images rather than (N, features).
bool takes_images(const ModelSpec& spec);

struct OptimizerSpec {
  // sgd | momentum | nesterov | adagrad | rmsprop | adam | adamw
  std::string kind = "adam";
  double lr = 0;  // 0: the kind's default (default_lr)
  double weight_decay = 0;
  double momentum = 0.9;  // momentum and nesterov
};

const std::vector<std::string>& optimizer_kinds();
double default_lr(const std::string& kind);
std::unique_ptr<Optimizer> make_optimizer(const OptimizerSpec& spec, std::vector<Parameter> params);

}  // namespace xgrad
