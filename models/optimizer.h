// Optimizer: updates parameters in place from their gradients.
//
// An optimiser holds the parameters' handles (sharing their nodes) and
// per-parameter state (momentum buffers, moment estimates, a step count).
// step() runs under NoGradGuard and writes each parameter's leaf value
// through Tensor::mutable_value(); parameters without a gradient are
// skipped. Weight decay, where an optimiser has it, applies to parameters
// with role kWeight only unless `decay_biases` is set (the lecture's
// penalty sums over j >= 1: biases are not penalised).
// state_dict() names every state array "<param name>.<slot>" (plus
// "step"), so a checkpoint can save and restore it and resume bit-exactly.
// Thread safety: none.
#pragma once

#include <string>
#include <vector>

#include "framework/named_arrays.h"
#include "models/module.h"

namespace xgrad {

class Optimizer {
 public:
  Optimizer(std::vector<Parameter> params, double lr);
  virtual ~Optimizer() = default;

  // One update from the current gradients.
  virtual void step() = 0;
  virtual std::string name() const = 0;

  // Forgets every parameter's gradient.
  void zero_grad();

  double lr() const { return lr_; }
  void set_lr(double lr) { lr_ = lr; }
  const std::vector<Parameter>& params() const { return params_; }

  // Named state for checkpoints; load_state_dict checks names and shapes.
  virtual NamedArrays state_dict() const;
  virtual void load_state_dict(const NamedArrays& state);

 protected:
  std::vector<Parameter> params_;
  double lr_;
};

}  // namespace xgrad
