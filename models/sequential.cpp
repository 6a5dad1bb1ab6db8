#include "models/sequential.h"

namespace xgrad {

Sequential::Sequential(std::vector<std::shared_ptr<Module>> layers) {
  for (auto& layer : layers) add(std::move(layer));
}

Sequential& Sequential::add(std::shared_ptr<Module> layer) {
  if (!layer) throw ValueError("Sequential: cannot add a null layer");
  register_module(std::to_string(layers_.size()), layer);
  layers_.push_back(std::move(layer));
  return *this;
}

Tensor Sequential::forward(const Tensor& x) {
  Tensor h = x;
  for (auto& layer : layers_) h = (*layer)(h);
  return h;
}

Tensor Sequential::forward_many(const std::vector<Tensor>& inputs) {
  if (layers_.empty()) return Module::forward_many(inputs);  // the identity of one input
  Tensor h = (*layers_[0])(inputs);
  for (std::size_t i = 1; i < layers_.size(); ++i) h = (*layers_[i])(h);
  return h;
}

}  // namespace xgrad
