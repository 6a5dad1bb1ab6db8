// Sequential: applies its child modules in order; children are named
// "0", "1", ... (so parameters read "0.weight", "2.bias"). Each child is
// called (so its hooks run); the first may take several inputs
// (seq(a, b) passes both to layer 0), the others take the previous output.
#pragma once

#include <memory>
#include <vector>

#include "models/module.h"

namespace xgrad {

class Sequential : public Module {
 public:
  Sequential() = default;
  explicit Sequential(std::vector<std::shared_ptr<Module>> layers);

  // Appends a layer; returns *this for chaining.
  Sequential& add(std::shared_ptr<Module> layer);
  std::size_t size() const { return layers_.size(); }
  Module& operator[](std::size_t i) { return *layers_.at(i); }
  template <class M>
  std::shared_ptr<M> at(std::size_t i) const {
    return std::dynamic_pointer_cast<M>(layers_.at(i));
  }

  Tensor forward(const Tensor& x) override;
  Tensor forward_many(const std::vector<Tensor>& inputs) override;
  std::string name() const override { return "Sequential"; }

 private:
  std::vector<std::shared_ptr<Module>> layers_;
};

}  // namespace xgrad
