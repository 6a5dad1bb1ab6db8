#include "models/optim/optimizer.h"

#include <cmath>
#include <map>
#include <set>

#include "framework/node.h"
#include "models/format.h"

namespace xgrad {

namespace {
void check_lr(double lr) {
  if (!(lr >= 0) || !std::isfinite(lr)) {
    throw ValueError("Optimizer: learning rate must be non-negative and finite, got " +
                     format_number(lr));
  }
}

// The first element of `a` that is NaN or infinite, or negative when
// `non_negative`; a.size() when there is none.
std::size_t first_bad(const Array& a, bool non_negative) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double v = a.at(i);
    if (!std::isfinite(v) || (non_negative && v < 0)) return i;
  }
  return a.size();
}
}  // namespace

Optimizer::Optimizer(std::string name, std::vector<ParamGroup> groups, double lr, WeightDecay decay)
    : name_(std::move(name)), lr_(lr), decay_(decay) {
  check_lr(lr);
  if (!(decay.value >= 0) || !std::isfinite(decay.value)) {
    throw ValueError(name_ + ": weight_decay must be non-negative and finite, got " +
                     format_number(decay.value));
  }
  if (groups.empty()) throw ValueError(name_ + ": no parameter groups (pass at least one)");
  for (ParamGroup& g : groups) add_param_group(std::move(g));
}

Optimizer::Optimizer(std::string name, std::vector<Parameter> params, double lr, WeightDecay decay)
    : Optimizer(std::move(name), std::vector<ParamGroup>{ParamGroup{std::move(params)}}, lr,
                decay) {}

void Optimizer::check_group(ParamGroup& group) const {
  const std::string where = name_ + ": parameter group " + std::to_string(groups_.size());
  if (!group.lr) group.lr = lr_;
  if (!group.weight_decay) group.weight_decay = decay_.value;
  if (!(*group.lr >= 0) || !std::isfinite(*group.lr)) {
    throw ValueError(where + ": learning rate must be non-negative and finite, got " +
                     format_number(*group.lr));
  }
  if (!(*group.weight_decay >= 0) || !std::isfinite(*group.weight_decay)) {
    throw ValueError(where + ": weight_decay must be non-negative and finite, got " +
                     format_number(*group.weight_decay));
  }
  std::map<const Node*, std::size_t> seen;  // node → group (this one: groups_.size())
  for (std::size_t k = 0; k < params_.size(); ++k)
    seen.emplace(params_[k].tensor.node().get(), group_of_[k]);
  for (const Parameter& p : group.params) {
    if (!p.tensor.defined()) throw ValueError(name_ + ": parameter '" + p.name + "' is undefined");
    auto [it, fresh] = seen.emplace(p.tensor.node().get(), groups_.size());
    if (!fresh) {
      throw ValueError(where + ": parameter '" + p.name + "' is already in group " +
                       std::to_string(it->second) + " (a parameter belongs to one group)");
    }
  }
}

void Optimizer::add_param_group(ParamGroup group) {
  check_group(group);
  const std::size_t from = params_.size();
  for (const Parameter& p : group.params) {
    params_.push_back(p);
    group_of_.push_back(groups_.size());
  }
  groups_.push_back(std::move(group));
  slots_.resize(params_.size());
  if (!slot_specs_.empty()) {
    try {
      make_slots(from);
    } catch (...) {  // a name collision: leave the optimiser as it was
      params_.resize(from), group_of_.resize(from), slots_.resize(from);
      groups_.pop_back();
      throw;
    }
  }
}

std::string Optimizer::describe() const {
  const std::string rest = hyperparameters(), groups = describe_groups(true);
  return name_ + "(lr=" + format_number(lr()) + (rest.empty() ? "" : ", " + rest) +
         (groups.empty() ? "" : ", " + groups) + ")";
}

std::string Optimizer::describe_groups(bool with_lr) const {
  if (groups_.size() < 2) return "";
  std::string s = "param_groups=[";
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    s += std::string(g ? ", " : "") + "(params=" + std::to_string(groups_[g].params.size()) +
         (with_lr ? ", lr=" + format_number(*groups_[g].lr) : "") +
         ", weight_decay=" + format_number(*groups_[g].weight_decay) + ")";
  }
  return s + "]";
}

void Optimizer::set_lr(double lr) {
  check_lr(lr);
  for (ParamGroup& g : groups_) g.lr = lr;
}

void Optimizer::set_lr(std::size_t group, double lr) {
  if (group >= groups_.size()) {
    throw ValueError(name_ + ": set_lr: group " + std::to_string(group) + " of " +
                     std::to_string(groups_.size()) + " parameter groups");
  }
  check_lr(lr);
  groups_[group].lr = lr;
}

void Optimizer::require_unit_interval(const std::string& what, double value) const {
  if (!(value >= 0 && value < 1)) {
    throw ValueError(name_ + ": " + what + " must be in [0, 1), got " + format_number(value));
  }
}

void Optimizer::require_positive(const std::string& what, double value) const {
  if (!(value > 0) || !std::isfinite(value)) {
    throw ValueError(name_ + ": " + what + " must be positive, got " + format_number(value));
  }
}

void Optimizer::step() {
  NoGradGuard no_grad;
  ++steps_;
  nonfinite_.clear();
  for (std::size_t k = 0; k < params_.size(); ++k) {
    Parameter& p = params_[k];
    // A parameter frozen after a backward still holds that gradient: skip it.
    if (!p.tensor.requires_grad() || !p.tensor.has_grad()) continue;
    sync_slots(k);
    const ParamGroup& g = groups_[group_of_[k]];
    const bool decays = decay_.decay_biases || p.role == ParamRole::kWeight;
    ParamUpdate u(p, group_of_[k], p.tensor.mutable_value(), p.tensor.grad(), slots_[k], *g.lr,
                  decays ? *g.weight_decay : 0.0, decay_.form);
    update(u);
    if (u.nonfinite_) nonfinite_.push_back(p.name);
  }
}

void Optimizer::zero_grad() {
  for (Parameter& p : params_) p.tensor.zero_grad();
}

void Optimizer::add_slots(std::vector<Slot> slots) {
  slot_specs_ = std::move(slots);
  make_slots(0);
}

void Optimizer::make_slots(std::size_t from) {
  std::set<std::string> seen;
  for (const Parameter& p : params_) {
    if (!seen.insert(p.name).second) {
      throw ValueError(name_ + ": two parameters are named '" + p.name +
                       "'; their state would collide (pass parameters with distinct names)");
    }
  }
  for (std::size_t k = from; k < params_.size(); ++k) {
    slots_[k].clear();
    for (std::size_t j = 0; j < slot_specs_.size(); ++j) {
      slots_[k].push_back(Array::zeros(params_[k].tensor.shape(), params_[k].tensor.dtype()));
    }
  }
}

void Optimizer::sync_slots(std::size_t k) {
  const DType dtype = params_[k].tensor.dtype();
  for (Array& s : slots_[k]) {
    if (s.dtype() != dtype) s = s.to(dtype);
  }
}

NamedArrays Optimizer::state_dict() const {
  NamedArrays state;
  state.emplace_back("step", Array::full({1}, double(steps_), kFloat64));
  for (std::size_t k = 0; k < params_.size(); ++k) {
    for (std::size_t j = 0; j < slot_specs_.size(); ++j) {
      state.emplace_back(params_[k].name + "." + slot_specs_[j].name, slots_[k][j]);
    }
  }
  return state;
}

void Optimizer::load_state_dict(const NamedArrays& state) {
  const std::string op = name_ + " load_state_dict";
  std::map<std::string, const Array*> by_name;
  for (const auto& [key, value] : state) {
    if (!by_name.emplace(key, &value).second) {
      throw ValueError(op + ": entry '" + key + "' appears twice");
    }
    if (!value.defined()) throw ValueError(op + ": '" + key + "' is an undefined array");
  }
  // Check everything before changing anything.
  auto find = [&](const std::string& key) -> const Array& {
    auto it = by_name.find(key);
    if (it == by_name.end()) throw ValueError(op + ": missing state '" + key + "'");
    return *it->second;
  };
  const Array& step = find("step");
  if (step.size() != 1) throw_shape_error(op, "'step' must have one element", "step", step.shape());
  const double count = step.item();
  if (!(count >= 0 && count <= 9007199254740992.0) || count != std::floor(count)) {
    throw ValueError(op + ": 'step' must be a non-negative integer, got " + format_number(count));
  }
  for (std::size_t k = 0; k < params_.size(); ++k) {
    const Tensor& p = params_[k].tensor;
    for (const Slot& slot : slot_specs_) {
      const std::string key = params_[k].name + "." + slot.name;
      const Array& v = find(key);
      if (v.shape() != p.shape()) {
        throw_shape_error(op, "shape of '" + key + "' differs from its parameter's", "stored",
                          v.shape(), "parameter", p.shape());
      }
      if (v.dtype() != p.dtype()) {
        throw DTypeError(op + ": dtype of '" + key + "' differs from its parameter's: stored " +
                         dtype_name(v.dtype()) + ", parameter " + dtype_name(p.dtype()));
      }
      const std::size_t bad = first_bad(v, slot.non_negative);
      if (bad < v.size()) {
        throw ValueError(op + ": '" + key + "' holds " + format_number(v.at(bad)) + " at " +
                         format_index(v.shape(), bad) + "; it must be " +
                         (slot.non_negative ? "non-negative and finite" : "finite"));
      }
    }
  }
  if (by_name.size() != 1 + params_.size() * slot_specs_.size()) {
    for (const auto& [key, value] : state) {
      bool known = key == "step";
      for (std::size_t k = 0; k < params_.size() && !known; ++k) {
        for (const Slot& slot : slot_specs_)
          known = known || key == params_[k].name + "." + slot.name;
      }
      if (!known) throw ValueError(op + ": unexpected state '" + key + "'");
    }
  }
  steps_ = std::uint64_t(count);
  for (std::size_t k = 0; k < params_.size(); ++k) {
    for (std::size_t j = 0; j < slot_specs_.size(); ++j) {
      slots_[k][j] = *by_name[params_[k].name + "." + slot_specs_[j].name];
    }
  }
}

}  // namespace xgrad
