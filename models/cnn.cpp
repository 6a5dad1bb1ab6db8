#include "models/cnn.h"

#include <memory>
#include <string>

#include "models/format.h"
#include "models/layers/activations.h"
#include "models/layers/conv2d.h"
#include "models/layers/dropout.h"
#include "models/layers/flatten.h"
#include "models/layers/linear.h"
#include "models/layers/pooling.h"

namespace xgrad {

namespace {
// Side of the feature map after a valid k×k convolution and a p×p pool; 0 if empty.
std::size_t conv_pool(std::size_t side, std::size_t k, std::size_t p) {
  return side < k ? 0 : (side - k + 1) / p;
}
}  // namespace

Cnn::Cnn(const CnnOptions& o, Generator& gen) : options_(o) {
  if (o.in_channels == 0 || o.c1 == 0 || o.c2 == 0 || o.kernel == 0 || o.pool == 0 || o.fc1 == 0 ||
      o.fc2 == 0 || o.classes == 0) {
    throw ValueError("Cnn: channels, kernel, pool and layer sizes must be positive");
  }
  if (!(o.dropout >= 0 && o.dropout < 1)) {
    throw ValueError("Cnn: dropout must be in [0, 1), got " + format_number(o.dropout));
  }
  const std::size_t side = conv_pool(conv_pool(o.image, o.kernel, o.pool), o.kernel, o.pool);
  if (side == 0) {
    throw ValueError("Cnn: image " + std::to_string(o.image) + " is too small for two " +
                     std::to_string(o.kernel) + "x" + std::to_string(o.kernel) +
                     " convolutions and " + std::to_string(o.pool) + "x" + std::to_string(o.pool) +
                     " pools");
  }
  flat_ = o.c2 * side * side;
  // weights first, in layer order; then the dropout seeds
  auto conv1 =
      std::make_shared<Conv2d>(o.in_channels, o.c1, o.kernel, gen, Conv2dOptions(), true, o.dtype);
  auto conv2 = std::make_shared<Conv2d>(o.c1, o.c2, o.kernel, gen, Conv2dOptions(), true, o.dtype);
  auto fc1 = std::make_shared<Linear>(flat_, o.fc1, gen, true, o.dtype);
  auto fc2 = std::make_shared<Linear>(o.fc1, o.fc2, gen, true, o.dtype);
  auto fc3 = std::make_shared<Linear>(o.fc2, o.classes, gen, true, o.dtype);
  std::shared_ptr<Dropout> drop1, drop2;
  if (o.dropout > 0) {
    drop1 = std::make_shared<Dropout>(o.dropout, Generator::bits(gen.seed(), gen.advance(1)));
    drop2 = std::make_shared<Dropout>(o.dropout, Generator::bits(gen.seed(), gen.advance(1)));
  }
  const Pool2dOptions pool(o.pool);
  register_module("conv1", conv1);
  // pool before ReLU: the same function, the ReLU on a quarter of the elements (cnn.h)
  register_module("pool1", std::make_shared<MaxPool2d>(pool));
  register_module("relu1", std::make_shared<ReLU>());
  register_module("conv2", conv2);
  register_module("pool2", std::make_shared<MaxPool2d>(pool));
  register_module("relu2", std::make_shared<ReLU>());
  register_module("flatten", std::make_shared<Flatten>());
  register_module("fc1", fc1);
  register_module("relu3", std::make_shared<ReLU>());
  if (drop1) register_module("drop1", drop1);
  register_module("fc2", fc2);
  register_module("relu4", std::make_shared<ReLU>());
  if (drop2) register_module("drop2", drop2);
  register_module("fc3", fc3);
}

std::string Cnn::name() const {
  const CnnOptions& o = options_;
  return "Cnn(" + std::to_string(o.in_channels) + "x" + std::to_string(o.image) + "x" +
         std::to_string(o.image) + " -> " + std::to_string(o.classes) +
         (o.dropout > 0 ? ", dropout=" + format_number(o.dropout) : "") + ")";
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
  Tensor h = x;
  for (const auto& child : children()) h = (*child.second)(h);  // in forward order (hooks run)
  return h;
}

}  // namespace xgrad
