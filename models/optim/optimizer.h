// Optimizer: updates parameters in place from their gradients.
//
// An optimiser holds the parameters' handles (sharing their nodes) and
// per-parameter state (momentum buffers, moment estimates, a step count).
// step() runs under NoGradGuard and writes each parameter's leaf value
// through Tensor::mutable_value(); parameters without a gradient are
// skipped (their state is left as it is). Weight decay, where an optimiser
// has it, applies to parameters with role kWeight only unless
// `decay_biases` is set (the lecture's penalty sums over j >= 1: biases are
// not penalised).
// State: "step" (the number of step() calls, a float64 Array of shape (1))
// and one array per parameter and slot, named "<param name>.<slot>" (e.g.
// "0.weight.m"), zeros like the parameter at construction. state_dict()
// copies them all, so a checkpoint restores a run bit-exactly;
// load_state_dict() checks every name, shape and dtype (missing, unexpected
// or repeated entries, wrong shapes) and changes nothing unless all pass.
// Hyperparameters (lr included) are not state: a training loop sets lr from
// its schedule each epoch.
// Updates are elementwise: each element is written by one task
// (parallel_for above kElementwiseGrain), so results do not depend on the
// thread count.
// Thread safety: none.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "framework/grad_mode.h"
#include "framework/named_arrays.h"
#include "framework/parallel.h"
#include "models/module.h"

namespace xgrad {

class Optimizer {
 public:
  // REQUIRES: lr >= 0 and finite; every parameter defined (ValueError).
  Optimizer(std::vector<Parameter> params, double lr);
  virtual ~Optimizer() = default;

  // One update from the current gradients.
  virtual void step() = 0;
  // The method's name, e.g. "Adam".
  virtual std::string name() const = 0;
  // Name and hyperparameters, e.g. "SGD(lr=0.1, momentum=0.9)".
  virtual std::string describe() const;

  // Forgets every parameter's gradient.
  void zero_grad();

  double lr() const { return lr_; }
  // REQUIRES: lr >= 0 and finite (ValueError).
  void set_lr(double lr);
  const std::vector<Parameter>& params() const { return params_; }
  // Number of step() calls so far (restored by load_state_dict).
  std::uint64_t step_count() const { return steps_; }

  // Named state for checkpoints; load_state_dict checks names and shapes.
  virtual NamedArrays state_dict() const;
  virtual void load_state_dict(const NamedArrays& state);

 protected:
  // Declares the per-parameter state arrays ("slots", at most two, e.g. "m"
  // and "v"), zeros like each parameter. Call once, from the constructor.
  // ValueError if two parameters share a name (their state would collide).
  void add_slots(std::vector<std::string> names);

  // Whether weight decay applies to p.
  static bool decays(const Parameter& p, bool decay_biases) {
    return decay_biases || p.role == ParamRole::kWeight;
  }

  // For every element of every parameter that has a gradient, under
  // NoGradGuard: f(θ&, g, s0, s1, decay) with s0, s1 pointing at the element
  // in slots 0 and 1 (nullptr when absent) and decay = decays(p,
  // decay_biases). T is the parameter's scalar type.
  template <class F>
  void update_each(bool decay_biases, F f);

  std::vector<Parameter> params_;
  double lr_;
  std::uint64_t steps_ = 0;

 private:
  // Converts slot arrays to their parameter's dtype after Module::to().
  void sync_slots(std::size_t k);

  std::vector<std::string> slot_names_;
  std::vector<std::vector<Array>> slots_;  // [parameter][slot]
};

template <class F>
void Optimizer::update_each(bool decay_biases, F f) {
  NoGradGuard no_grad;
  for (std::size_t k = 0; k < params_.size(); ++k) {
    Parameter& p = params_[k];
    if (!p.tensor.has_grad()) continue;
    sync_slots(k);
    Array& theta = p.tensor.mutable_value();
    const Array& grad = p.tensor.grad();
    const bool decay = decays(p, decay_biases);
    dispatch(theta.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* th = theta.data<T>();
      const T* g = grad.data<T>();
      T* s0 = slots_[k].size() > 0 ? slots_[k][0].data<T>() : nullptr;
      T* s1 = slots_[k].size() > 1 ? slots_[k][1].data<T>() : nullptr;
      parallel_for(0, theta.size(), kElementwiseGrain, [&](std::size_t b, std::size_t e) {
        // One loop per case, so the slots' presence and `decay` are constants inside f and
        // the loop vectorises (a test per element kept it scalar, 8x slower).
        auto each = [&](auto slots, auto decays) {
          T* __restrict t = th;
          const T* __restrict d = g;
          T* __restrict a = s0;
          T* __restrict c = s1;
          T* const none = nullptr;
          for (std::size_t i = b; i < e; ++i) {
            if constexpr (decltype(slots)::value == 0) f(t[i], d[i], none, none, decays());
            if constexpr (decltype(slots)::value == 1) f(t[i], d[i], a + i, none, decays());
            if constexpr (decltype(slots)::value == 2) f(t[i], d[i], a + i, c + i, decays());
          }
        };
        auto with_slots = [&](auto decays) {
          if (s0 && s1) {
            each(std::integral_constant<int, 2>(), decays);
          } else if (s0) {
            each(std::integral_constant<int, 1>(), decays);
          } else {
            each(std::integral_constant<int, 0>(), decays);
          }
        };
        if (decay) {
          with_slots(std::true_type());
        } else {
          with_slots(std::false_type());
        }
      });
    });
  }
}

}  // namespace xgrad
