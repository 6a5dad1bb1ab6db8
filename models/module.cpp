#include "models/module.h"

#include <map>

namespace xgrad {

Tensor Module::register_parameter(std::string name, Tensor value, ParamRole role) {
  value.requires_grad_(true);
  params_.push_back({std::move(name), value, role});
  return value;
}

void Module::collect(const std::string& prefix, std::vector<Parameter>& out) const {
  for (const Own& p : params_) out.push_back({prefix + p.name, p.tensor, p.role});
  for (const auto& [name, child] : children_) child->collect(prefix + name + ".", out);
}

std::vector<Parameter> Module::parameters() const {
  std::vector<Parameter> out;
  collect("", out);
  return out;
}

std::size_t Module::parameter_count() const {
  std::size_t n = 0;
  for (const Parameter& p : parameters()) n += p.tensor.size();
  return n;
}

void Module::zero_grad() {
  for (Parameter& p : parameters()) p.tensor.zero_grad();
}

void Module::train(bool training) {
  training_ = training;
  for (auto& child : children_) child.second->train(training);
}

void Module::to(DType dtype) {
  for (Parameter& p : parameters()) {
    p.tensor.zero_grad();
    p.tensor.mutable_value() = p.tensor.value().to(dtype);
  }
}

void Module::describe_into(const std::string& label, int depth, std::string& out) const {
  std::size_t own = 0;
  for (const Own& p : params_) own += p.tensor.size();
  out += std::string(2 * depth, ' ') + (label.empty() ? "" : "(" + label + ") ") + name();
  if (own > 0) {
    out += "  [";
    for (std::size_t i = 0; i < params_.size(); ++i) {
      out += (i ? ", " : "") + params_[i].name + " " + format_shape(params_[i].tensor.shape());
    }
    out += "] " + std::to_string(own) + " params";
  }
  out += "\n";
  for (const auto& [name, child] : children_) child->describe_into(name, depth + 1, out);
}

std::string Module::describe() const {
  std::string out;
  describe_into("", 0, out);
  return out + "total parameters: " + std::to_string(parameter_count()) + "\n";
}

NamedArrays Module::state_dict() const {
  NamedArrays state;
  for (const Parameter& p : parameters()) state.emplace_back(p.name, p.tensor.value());
  return state;
}

void Module::load_state_dict(const NamedArrays& state) {
  std::map<std::string, const Array*> by_name;
  for (const auto& [name, value] : state) by_name[name] = &value;
  std::vector<Parameter> params = parameters();
  for (const Parameter& p : params) {
    auto it = by_name.find(p.name);
    if (it == by_name.end())
      throw ValueError("load_state_dict: missing parameter '" + p.name + "'");
    const Array& v = *it->second;
    if (v.shape() != p.tensor.shape()) {
      throw_shape_error("load_state_dict", "shape of '" + p.name + "' differs", "stored", v.shape(),
                        "model", p.tensor.shape());
    }
    if (v.dtype() != p.tensor.dtype()) {
      throw DTypeError("load_state_dict: dtype of '" + p.name + "' differs: stored " +
                       dtype_name(v.dtype()) + ", model " + dtype_name(p.tensor.dtype()));
    }
  }
  if (by_name.size() != params.size()) {
    for (const auto& [name, value] : state) {
      bool known = false;
      for (const Parameter& p : params) known = known || p.name == name;
      if (!known) throw ValueError("load_state_dict: unexpected parameter '" + name + "'");
    }
  }
  for (Parameter& p : params) {
    p.tensor.zero_grad();
    p.tensor.mutable_value() = *by_name[p.name];
  }
}

}  // namespace xgrad
