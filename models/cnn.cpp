#include "models/cnn.h"

#include <string>

#include "framework/array_map.h"
#include "ops/arithmetic.h"
#include "ops/relu.h"

namespace xgrad {

namespace {
// Side of the feature map after a valid k×k convolution and a p×p pool; 0 if empty.
std::size_t conv_pool(std::size_t side, std::size_t k, std::size_t p) {
  return side < k ? 0 : (side - k + 1) / p;
}
}  // namespace

Cnn::Cnn(const CnnOptions& o, Generator& gen) : options_(o), dropout_gen_(o.dropout_seed) {
  if (o.in_channels == 0 || o.c1 == 0 || o.c2 == 0 || o.kernel == 0 || o.pool == 0 || o.fc1 == 0 ||
      o.fc2 == 0 || o.classes == 0) {
    throw ValueError("Cnn: channels, kernel, pool and layer sizes must be positive");
  }
  if (!(o.dropout >= 0 && o.dropout <= 1)) throw ValueError("Cnn: dropout must be in [0, 1]");
  const std::size_t side = conv_pool(conv_pool(o.image, o.kernel, o.pool), o.kernel, o.pool);
  if (side == 0) {
    throw ValueError("Cnn: image " + std::to_string(o.image) + " is too small for two " +
                     std::to_string(o.kernel) + "x" + std::to_string(o.kernel) +
                     " convolutions and " + std::to_string(o.pool) + "x" + std::to_string(o.pool) +
                     " pools");
  }
  flat_ = o.c2 * side * side;
  const Pool2dOptions pool(o.pool);
  conv1_ = register_module("conv1", std::make_shared<Conv2d>(o.in_channels, o.c1, o.kernel, gen,
                                                             Conv2dOptions(), true, o.dtype));
  pool1_ = register_module("pool1", std::make_shared<MaxPool2d>(pool));
  conv2_ = register_module(
      "conv2", std::make_shared<Conv2d>(o.c1, o.c2, o.kernel, gen, Conv2dOptions(), true, o.dtype));
  pool2_ = register_module("pool2", std::make_shared<MaxPool2d>(pool));
  flatten_ = register_module("flatten", std::make_shared<Flatten>());
  fc1_ = register_module("fc1", std::make_shared<Linear>(flat_, o.fc1, gen, true, o.dtype));
  fc2_ = register_module("fc2", std::make_shared<Linear>(o.fc1, o.fc2, gen, true, o.dtype));
  fc3_ = register_module("fc3", std::make_shared<Linear>(o.fc2, o.classes, gen, true, o.dtype));
}

std::string Cnn::name() const {
  const CnnOptions& o = options_;
  return "Cnn(" + std::to_string(o.in_channels) + "x" + std::to_string(o.image) + "x" +
         std::to_string(o.image) + " -> " + std::to_string(o.classes) + ")";
}

Tensor Cnn::dropout(const Tensor& h) {
  const double p = options_.dropout;
  if (p == 0 || !is_training()) return h;
  // keep ~ Bernoulli(1 − p), scaled by 1/(1 − p): the expected activation is unchanged
  Array keep = dropout_gen_.bernoulli(h.shape(), 1 - p, h.dtype());
  if (p < 1) keep = map(keep, [p](auto k) { return k / (1 - p); });
  return h * Tensor(std::move(keep));
}

Tensor Cnn::forward(const Tensor& x) {
  const CnnOptions& o = options_;
  if (x.dim() != 4 || x.shape()[1] != o.in_channels || x.shape()[2] != o.image ||
      x.shape()[3] != o.image) {
    throw_shape_error(name(),
                      "input must be (N, " + std::to_string(o.in_channels) + ", " +
                          std::to_string(o.image) + ", " + std::to_string(o.image) + ")",
                      "input", x.shape());
  }
  Tensor h = pool1_->forward(relu(conv1_->forward(x)));
  h = flatten_->forward(pool2_->forward(relu(conv2_->forward(h))));
  h = dropout(relu(fc1_->forward(h)));
  h = dropout(relu(fc2_->forward(h)));
  return fc3_->forward(h);
}

}  // namespace xgrad
