#include "models/module.h"

#include <map>

namespace xgrad {

void Module::check_new_name(const std::string& name) const {
  if (name.empty() || name.find('.') != std::string::npos) {
    throw ValueError("Module: name '" + name + "' must be non-empty and contain no '.'");
  }
  bool taken = false;
  for (const Own& p : params_) taken = taken || p.name == name;
  for (const auto& b : buffers_) taken = taken || b.first == name;
  for (const auto& c : children_) taken = taken || c.first == name;
  if (taken) throw ValueError("Module: name '" + name + "' is already registered");
}

Tensor Module::register_parameter(std::string name, Tensor value, ParamRole role) {
  check_new_name(name);
  if (!value.defined())
    throw ValueError("register_parameter: '" + name + "' is an undefined tensor");
  value.requires_grad_(true);
  params_.push_back({std::move(name), value, role});
  return value;
}

void Module::collect(const std::string& prefix, std::vector<Parameter>& out) const {
  for (const Own& p : params_) out.push_back({prefix + p.name, p.tensor, p.role});
  for (const auto& [name, child] : children_) child->collect(prefix + name + ".", out);
}

std::size_t Module::register_buffer(std::string name, Array value) {
  check_new_name(name);
  if (!value.defined()) throw ValueError("register_buffer: '" + name + "' is an undefined array");
  buffers_.emplace_back(std::move(name), std::move(value));
  return buffers_.size() - 1;
}

void Module::collect_buffers(const std::string& prefix,
                             std::vector<std::pair<std::string, Array*>>& out) {
  for (auto& [name, value] : buffers_) out.emplace_back(prefix + name, &value);
  for (auto& [name, child] : children_) child->collect_buffers(prefix + name + ".", out);
}

NamedArrays Module::buffers() const {
  NamedArrays out;
  for (const auto& [name, value] : buffers_) out.emplace_back(name, value);
  for (const auto& [name, child] : children_) {
    for (auto& [path, value] : child->buffers()) out.emplace_back(name + "." + path, value);
  }
  return out;
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
  for (auto& entry : buffers()) state.push_back(std::move(entry));
  return state;
}

void Module::load_state_dict(const NamedArrays& state) {
  std::map<std::string, const Array*> by_name;
  for (const auto& [name, value] : state) {
    if (!by_name.emplace(name, &value).second) {
      throw ValueError("load_state_dict: entry '" + name + "' appears twice");
    }
  }
  std::vector<Parameter> params = parameters();
  std::vector<std::pair<std::string, Array*>> bufs;
  collect_buffers("", bufs);
  // Check everything before changing anything.
  auto check = [&](const std::string& kind, const std::string& name, const Array& current) {
    auto it = by_name.find(name);
    if (it == by_name.end())
      throw ValueError("load_state_dict: missing " + kind + " '" + name + "'");
    const Array& v = *it->second;
    if (!v.defined()) throw ValueError("load_state_dict: '" + name + "' is an undefined array");
    if (v.shape() != current.shape()) {
      throw_shape_error("load_state_dict", "shape of '" + name + "' differs", "stored", v.shape(),
                        "model", current.shape());
    }
    if (v.dtype() != current.dtype()) {
      throw DTypeError("load_state_dict: dtype of '" + name + "' differs: stored " +
                       dtype_name(v.dtype()) + ", model " + dtype_name(current.dtype()));
    }
  };
  for (const Parameter& p : params) check("parameter", p.name, p.tensor.value());
  for (const auto& [name, target] : bufs) check("buffer", name, *target);
  if (by_name.size() != params.size() + bufs.size()) {
    for (const auto& [name, value] : state) {
      bool known = false;
      for (const Parameter& p : params) known = known || p.name == name;
      for (const auto& b : bufs) known = known || b.first == name;
      if (!known) throw ValueError("load_state_dict: unexpected entry '" + name + "'");
    }
  }
  for (Parameter& p : params) {
    p.tensor.zero_grad();
    p.tensor.mutable_value() = *by_name[p.name];
  }
  for (auto& [name, target] : bufs) *target = *by_name[name];
}

}  // namespace xgrad
