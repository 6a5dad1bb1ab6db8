// Optimizer: updates parameters in place from their gradients.
//
// The base class does everything that is the same for every method, once:
// step() counts the step, skips parameters that do not require grad or have
// no gradient (their state is left as it is), applies weight decay, notes
// non-finite gradients, and calls the method's update() for each remaining
// parameter under NoGradGuard. A method implements only update(): the
// per-parameter arithmetic, usually one ParamUpdate::for_each with a lambda
// over one element (models/optim/sgd.cpp is the shortest example).
//
// Parameter groups (PyTorch's param_groups): the parameters come in one or
// more groups, each with its own learning rate and weight decay; an option a
// group leaves unset is the optimiser's (its options struct). Every other
// option is the optimiser's, shared by all groups.
//   Adam opt({{encoder->parameters(), 1e-4}, {head->parameters()}}, AdamOptions{.lr = 1e-3});
//   opt.add_param_group({extra->parameters(), {}, 0.0});  // lr 1e-3, no decay
// A constructor taking a plain parameter list makes one group.
//
// Weight decay (PyTorch's weight_decay) applies to parameters with role
// kWeight only, unless `decay_biases` is set (the lecture's penalty sums over
// j >= 1: biases are not penalised). Its form is the method's:
//   kL2          g ← g + wd·θ before the update (the gradient of (wd/2)‖θ‖²;
//                SGD, AdaGrad, RMSProp, Adam)
//   kDecoupled   θ ← θ − α·wd·θ, then the update from g alone (AdamW, Lion)
//
// State: "step" (the number of step() calls, a float64 Array of shape (1))
// and one array per parameter and slot, named "<param name>.<slot>" (e.g.
// "0.weight.m"), zeros like the parameter at construction; a method declares
// any number of slots. state_dict() copies them all, so a checkpoint restores
// a run bit-exactly; load_state_dict() checks every name, shape, dtype and
// value (missing, unexpected or repeated entries, wrong shapes, non-finite
// values, negative values in a slot declared non-negative) and changes
// nothing unless all pass. Hyperparameters (lr included, and the groups'
// options) are not state: a training loop sets lr from its schedule
// (models/optim/lr_schedule.h); hyperparameters() lists the others, for
// describe(). Parameters are identified by name in the state, whatever their
// group, so parameters of one optimiser must have distinct names (take them
// from one root module and split them by name to make groups).
//
// Updates are elementwise: each element is written by one task
// (parallel_for above kElementwiseGrain), so results do not depend on the
// thread count.
// Thread safety: none.
#pragma once

#include <atomic>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "framework/grad_mode.h"
#include "framework/named_arrays.h"
#include "framework/parallel.h"
#include "models/module.h"

namespace xgrad {

enum class DecayForm { kL2, kDecoupled };

// The weight decay every method shares (see the header comment).
struct WeightDecay {
  double value = 0;  // wd >= 0, finite
  bool decay_biases = false;
  DecayForm form = DecayForm::kL2;
};

// One parameter group as a user passes it (see the header comment); unset
// options are the optimiser's. param_groups() returns them with every option
// set.
struct ParamGroup {
  std::vector<Parameter> params;
  std::optional<double> lr{};            // >= 0, finite
  std::optional<double> weight_decay{};  // >= 0, finite
  // The lr a learning-rate scheduler scales, set by the first scheduler
  // made over the optimiser (PyTorch's initial_lr); leave it unset.
  std::optional<double> initial_lr{};
};

// A per-parameter state array that a method keeps ("m", "v", "velocity").
// non_negative: the values are never negative (running averages of squares,
// under a square root), and load_state_dict refuses negative ones.
struct Slot {
  std::string name;
  bool non_negative = false;
};

// One parameter at one step: what Optimizer::update() receives.
class ParamUpdate {
 public:
  const Parameter& param() const { return param_; }
  // The learning rate of the parameter's group at this step.
  double lr() const { return lr_; }
  // The index of the parameter's group in param_groups().
  std::size_t group() const { return group_; }

  // Calls f(θ, g, s_0, ..., s_{N−1}) for every element of the parameter, in
  // parallel: θ (T&) is the element, written in place; g (T) its gradient,
  // with L2 weight decay already added where it applies (and θ already
  // decayed, for the decoupled form); s_j (T&) the element of slot j, in the
  // order the slots were declared. T is the parameter's scalar type (float or
  // double). f must read and write element i only.
  // REQUIRES: N is the number of slots the optimiser declared.
  template <std::size_t N, class F>
  void for_each(F f) const;

 private:
  friend class Optimizer;
  ParamUpdate(const Parameter& param, std::size_t group, Array& theta, const Array& grad,
              std::vector<Array>& slots, double lr, double weight_decay, DecayForm form)
      : param_(param),
        group_(group),
        theta_(theta),
        grad_(grad),
        slots_(slots),
        lr_(lr),
        weight_decay_(weight_decay),
        form_(form) {}

  template <class T, class F, std::size_t... J>
  void run(F& f, std::index_sequence<J...>) const;

  const Parameter& param_;
  std::size_t group_;
  Array& theta_;
  const Array& grad_;
  std::vector<Array>& slots_;
  double lr_;
  double weight_decay_;  // 0 where decay does not apply to this parameter
  DecayForm form_;
  mutable bool nonfinite_ = false;  // set by for_each: a gradient element was NaN or ±inf
};

class LRScheduler;

class Optimizer {
 public:
  // `name` is the method's, e.g. "Adam" (messages and describe() use it);
  // lr and decay are the defaults of groups that do not set their own.
  // REQUIRES: lr >= 0 and finite; decay.value >= 0 and finite; every
  // parameter defined, and in one group only (ValueError).
  Optimizer(std::string name, std::vector<ParamGroup> groups, double lr, WeightDecay decay = {});
  // One group holding `params`.
  Optimizer(std::string name, std::vector<Parameter> params, double lr, WeightDecay decay = {});
  virtual ~Optimizer() = default;

  // One update from the current gradients (see the header comment).
  void step();
  // The method's name, e.g. "Adam".
  const std::string& name() const { return name_; }
  // Name and hyperparameters, e.g. "SGD(lr=0.1, momentum=0.9)".
  std::string describe() const;
  // The hyperparameters other than lr, as describe() shows them, e.g.
  // "momentum=0.9, nesterov" (empty when there are none).
  virtual std::string hyperparameters() const { return ""; }
  // With more than one group, each group's size and options, as describe()
  // shows them: "param_groups=[(params=2, lr=0.1, weight_decay=0), ...]"
  // (without lr unless with_lr); empty for one group.
  std::string describe_groups(bool with_lr) const;

  // Forgets every parameter's gradient (also of parameters that no longer
  // require grad).
  void zero_grad();

  // The learning rate of the first group (of the only one, usually).
  double lr() const { return groups_.front().lr.value(); }
  // Sets the learning rate of every group. REQUIRES: lr >= 0 and finite
  // (ValueError).
  void set_lr(double lr);
  // Sets the learning rate of one group. REQUIRES: group < param_groups().size(),
  // lr >= 0 and finite (ValueError).
  void set_lr(std::size_t group, double lr);
  // The defaults: the weight decay of groups that do not set their own.
  const WeightDecay& weight_decay() const { return decay_; }
  // The groups, each with lr and weight_decay set.
  const std::vector<ParamGroup>& param_groups() const { return groups_; }
  // Adds a group (PyTorch's add_param_group): unset options are the
  // optimiser's defaults (its options struct, not the current lr); the new
  // parameters start with zero state. ValueError for a parameter already
  // in a group, and as for the constructor.
  void add_param_group(ParamGroup group);
  // Every parameter, group after group.
  const std::vector<Parameter>& params() const { return params_; }
  // Number of step() calls so far (restored by load_state_dict).
  std::uint64_t step_count() const { return steps_; }
  // Names of the parameters whose gradient held a NaN or an infinity at the
  // last step(), in params() order (empty when every gradient was finite).
  // step() updates them all the same, as PyTorch does; a training loop that
  // must stop on divergence reads this after each step.
  const std::vector<std::string>& nonfinite_gradients() const { return nonfinite_; }

  // Named state for checkpoints; load_state_dict checks it all first.
  NamedArrays state_dict() const;
  void load_state_dict(const NamedArrays& state);

 protected:
  // The method's update of one parameter, called by step() for each
  // parameter that requires grad and has a gradient.
  virtual void update(const ParamUpdate& p) = 0;

  // Declares the per-parameter state arrays, zeros like each parameter. Call
  // once, from the constructor. ValueError if two parameters share a name
  // (their state would collide).
  void add_slots(std::vector<Slot> slots);

  // Option checks with one message format: "<name>: <what> must be ..., got <v>".
  void require_unit_interval(const std::string& what, double value) const;  // [0, 1)
  void require_positive(const std::string& what, double value) const;       // > 0, finite

 private:
  friend class LRScheduler;  // records each group's initial_lr

  // Converts slot arrays to their parameter's dtype after Module::to().
  void sync_slots(std::size_t k);

  // Checks and completes a group's options, checks its parameters.
  void check_group(ParamGroup& group) const;
  // Slot arrays for parameters [from, params_.size()).
  void make_slots(std::size_t from);

  std::string name_;
  std::vector<ParamGroup> groups_;
  std::vector<Parameter> params_;      // every group's, in order
  std::vector<std::size_t> group_of_;  // [parameter]: its group
  double lr_;                          // the default for new groups
  WeightDecay decay_;
  std::uint64_t steps_ = 0;
  std::vector<Slot> slot_specs_;
  std::vector<std::vector<Array>> slots_;  // [parameter][slot]
  std::vector<std::string> nonfinite_;
};

namespace optimizer_detail {
// The options struct `O` with its defaults and this learning rate, for the
// optimisers' (params, lr) constructors.
template <class O>
O with_lr(double lr) {
  O o;
  o.lr = lr;
  return o;
}
template <class T>
using IfNumber = std::enable_if_t<std::is_arithmetic_v<T>>;
}  // namespace optimizer_detail

// Note [Vectorised updates]
// for_each runs one loop per decay case with the slots as __restrict
// pointers, so the decay form is a constant inside the loop and the compiler
// knows that θ, g and the slots do not overlap: the loop vectorises (a test
// per element kept it scalar, 8x slower). The non-finite test is an integer
// OR of `g - g != 0`, which vectorises (a bool OR, or a max of |g|, did not
// with GCC 12).
template <class T, class F, std::size_t... J>
void ParamUpdate::run(F& f, std::index_sequence<J...>) const {
  T* const th = theta_.data<T>();
  const T* const gr = grad_.data<T>();
  T* const slot[sizeof...(J) + 1] = {slots_[J].template data<T>()..., nullptr};
  const T wd = T(weight_decay_), lr = T(lr_);
  const bool l2 = weight_decay_ > 0 && form_ == DecayForm::kL2;
  const bool decoupled = weight_decay_ > 0 && form_ == DecayForm::kDecoupled;
  auto loop = [&](std::size_t b, std::size_t e, auto mode, T* __restrict t, const T* __restrict g,
                  auto* __restrict... s) {
    int bad = 0;
    for (std::size_t i = b; i < e; ++i) {
      T gi = g[i];
      bad |= gi - gi != 0;  // NaN for NaN and ±inf, 0 otherwise
      if constexpr (decltype(mode)::value == 1) gi = gi + wd * t[i];     // g ← g + wd θ
      if constexpr (decltype(mode)::value == 2) t[i] -= lr * wd * t[i];  // θ ← θ − α wd θ
      f(t[i], gi, s[i]...);
    }
    return bad;
  };
  std::atomic<bool> nonfinite{false};
  parallel_for(0, theta_.size(), kElementwiseGrain, [&](std::size_t b, std::size_t e) {
    int bad;
    if (l2) {
      bad = loop(b, e, std::integral_constant<int, 1>(), th, gr, slot[J]...);
    } else if (decoupled) {
      bad = loop(b, e, std::integral_constant<int, 2>(), th, gr, slot[J]...);
    } else {
      bad = loop(b, e, std::integral_constant<int, 0>(), th, gr, slot[J]...);
    }
    if (bad) nonfinite.store(true, std::memory_order_relaxed);
  });
  nonfinite_ = nonfinite.load();
}

template <std::size_t N, class F>
void ParamUpdate::for_each(F f) const {
  if (N != slots_.size()) {
    throw ValueError("ParamUpdate::for_each: the optimiser declared " +
                     std::to_string(slots_.size()) + " slots, the update uses " +
                     std::to_string(N));
  }
  dispatch(theta_.dtype(), [&](auto tag) { run<decltype(tag)>(f, std::make_index_sequence<N>()); });
}

}  // namespace xgrad
