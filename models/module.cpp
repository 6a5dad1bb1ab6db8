#include "models/module.h"

#include <algorithm>
#include <map>

#include "framework/grad_mode.h"
#include "framework/node.h"
#include "framework/record.h"
#include "ops/concat.h"
#include "ops/reshape.h"
#include "ops/slice.h"

namespace xgrad {

Tensor Module::forward(const Tensor& x) {
  if (in_default_forward_) {
    throw GraphError(name() + ": the module overrides neither forward(x) nor forward_many(inputs)");
  }
  in_default_forward_ = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{in_default_forward_};
  return forward_many(std::vector<Tensor>{x});
}

Tensor Module::forward_many(const std::vector<Tensor>& inputs) {
  if (inputs.size() != 1) {
    throw ValueError(name() + ": takes one input, got " + std::to_string(inputs.size()));
  }
  if (in_default_forward_) {
    throw GraphError(name() + ": the module overrides neither forward(x) nor forward_many(inputs)");
  }
  return forward(inputs[0]);
}

struct ModuleHooks {
  template <class F>
  struct Entry {
    std::uint64_t id;
    F fn;
  };
  std::vector<Entry<Module::ForwardPreHook>> pre;
  std::vector<Entry<Module::ForwardHook>> post;
  std::vector<Entry<Module::BackwardHook>> backward;
  std::uint64_t next_id = 1;

  bool empty() const { return pre.empty() && post.empty() && backward.empty(); }
  void remove(std::uint64_t id) {
    auto drop = [id](auto& v) {
      v.erase(std::remove_if(v.begin(), v.end(), [id](const auto& e) { return e.id == id; }),
              v.end());
    };
    drop(pre);
    drop(post);
    drop(backward);
  }
};

void ModuleHookHandle::remove() {
  if (auto hooks = hooks_.lock()) hooks->remove(id_);
}

namespace {

template <class Fn, class List>
ModuleHookHandle add_hook(std::shared_ptr<ModuleHooks>& hooks, List ModuleHooks::*list, Fn fn,
                          const std::string& who) {
  if (!fn) throw ValueError(who + ": the hook is empty");
  if (!hooks) hooks = std::make_shared<ModuleHooks>();
  const std::uint64_t id = hooks->next_id++;
  ((*hooks).*list).push_back({id, std::move(fn)});
  return ModuleHookHandle(hooks, id);
}

// One call's full backward hooks: what the tensor hooks on the call's graph
// share. Holds no strong reference to a node (the hooks live in nodes).
struct BackwardHookCall {
  Module* module = nullptr;
  std::vector<Module::BackwardHook> hooks;  // those registered at the call
  std::size_t n_inputs = 0;
  std::weak_ptr<Node> input_node;   // the packed inputs, if any requires grad
  std::vector<Tensor> grad_output;  // set while a backward pass runs

  // Runs the hooks in order, each seeing the previous one's replacements.
  std::vector<Tensor> fire(std::vector<Tensor> grad_input) {
    const std::string who = module->name() + ": full backward hook";
    for (const Module::BackwardHook& hook : hooks) {
      std::vector<Tensor> r = hook(*module, grad_input, grad_output);
      if (r.empty()) continue;
      if (r.size() != grad_input.size()) {
        throw ValueError(who + " returned " + std::to_string(r.size()) + " gradients for " +
                         std::to_string(grad_input.size()) + " inputs");
      }
      for (std::size_t i = 0; i < r.size(); ++i) {
        if (!r[i].defined()) continue;
        if (!grad_input[i].defined()) {
          throw ValueError(who + " returned a gradient for input " + std::to_string(i) +
                           ", which does not require grad");
        }
        if (r[i].shape() != grad_input[i].shape() || r[i].dtype() != grad_input[i].dtype()) {
          throw_shape_error(who, "a replacement must have the gradient's shape and dtype",
                            "gradient", grad_input[i].shape(), "returned", r[i].shape());
        }
        grad_input[i] = r[i];
      }
    }
    grad_output.clear();  // drops the pass's tensors: nothing outlives it
    return grad_input;
  }
};

std::vector<std::int64_t> dims(const Shape& s) {
  return std::vector<std::int64_t>(s.begin(), s.end());
}

// Routes the inputs that require grad through one node (their flattened
// concatenation, sliced back), so one tensor hook sees every input gradient
// at once, when all of them are complete.
std::vector<Tensor> hook_inputs(std::vector<Tensor> inputs,
                                const std::shared_ptr<BackwardHookCall>& call) {
  std::vector<std::size_t> idx;
  std::vector<Tensor> flat;
  std::vector<Shape> shapes;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].defined() || !inputs[i].requires_grad()) continue;
    if (!flat.empty() && inputs[i].dtype() != flat[0].dtype()) {
      throw_dtype_error(call->module->name() + ": full backward hook",
                        "the inputs that require grad must share a dtype", "input 0",
                        flat[0].dtype(), "input " + std::to_string(i), inputs[i].dtype());
    }
    idx.push_back(i);
    shapes.push_back(inputs[i].shape());
    flat.push_back(reshape(inputs[i], {-1}));
  }
  if (idx.empty()) return inputs;
  Tensor packed = concat(flat, 0);
  packed.register_hook([call, idx, shapes](const Tensor& g) {
    std::vector<Tensor> grad_input(call->n_inputs);
    std::int64_t at = 0;
    std::vector<std::int64_t> sizes;
    for (std::size_t k = 0; k < idx.size(); ++k) {
      const std::int64_t n = std::int64_t(shape_size(shapes[k]));
      grad_input[idx[k]] = reshape(slice(g, 0, at, at + n), dims(shapes[k]));
      sizes.push_back(n);
      at += n;
    }
    grad_input = call->fire(std::move(grad_input));
    std::vector<Tensor> pieces;
    for (std::size_t k = 0; k < idx.size(); ++k)
      pieces.push_back(reshape(grad_input[idx[k]], {-1}));
    return concat(pieces, 0);
  });
  call->input_node = packed.node();
  std::int64_t at = 0;
  for (std::size_t k = 0; k < idx.size(); ++k) {
    const std::int64_t n = std::int64_t(shape_size(shapes[k]));
    inputs[idx[k]] = reshape(slice(packed, 0, at, at + n), dims(shapes[k]));
    at += n;
  }
  return inputs;
}

// Catches the gradient with respect to the output; fires the hooks here
// when no input gradient will be computed in this pass.
Tensor hook_output(Tensor out, const std::shared_ptr<BackwardHookCall>& call,
                   std::uint64_t call_start) {
  // A tensor made before the call (an input passed through) gets a node of
  // its own: the hook must not stay on the caller's tensor.
  if (out.node()->seq < call_start) out = identity(out);
  out.register_hook([call](const Tensor& g) {
    call->grad_output = {g};
    const NodePtr in = call->input_node.lock();
    const bool input_side = in && in->visit == current_backward_pass() && in->wanted;
    if (!input_side) {
      std::vector<Tensor> none(call->n_inputs);
      for (const Module::BackwardHook& hook : call->hooks) {
        std::vector<Tensor> r = hook(*call->module, none, call->grad_output);
        for (const Tensor& t : r) {
          if (t.defined()) {
            throw ValueError(call->module->name() +
                             ": full backward hook returned an input gradient, but no input "
                             "requires grad");
          }
        }
      }
      call->grad_output.clear();
    }
    return Tensor();
  });
  return out;
}

}  // namespace

ModuleHookHandle Module::register_forward_pre_hook(ForwardPreHook hook) {
  return add_hook(hooks_, &ModuleHooks::pre, std::move(hook),
                  name() + ": register_forward_pre_hook");
}

ModuleHookHandle Module::register_forward_hook(ForwardHook hook) {
  return add_hook(hooks_, &ModuleHooks::post, std::move(hook), name() + ": register_forward_hook");
}

ModuleHookHandle Module::register_full_backward_hook(BackwardHook hook) {
  return add_hook(hooks_, &ModuleHooks::backward, std::move(hook),
                  name() + ": register_full_backward_hook");
}

Tensor Module::operator()(const Tensor& x) {
  if (!hooks_ || hooks_->empty()) return forward(x);
  return call_hooked({x});
}

Tensor Module::operator()(const std::vector<Tensor>& inputs) {
  if (!hooks_ || hooks_->empty()) {
    return inputs.size() == 1 ? forward(inputs[0]) : forward_many(inputs);
  }
  return call_hooked(inputs);
}

Tensor Module::call_hooked(std::vector<Tensor> inputs) {
  const std::shared_ptr<ModuleHooks> hooks = hooks_;  // copies: a hook may remove hooks
  const auto pre = hooks->pre;
  for (const auto& h : pre) {
    std::vector<Tensor> r = h.fn(*this, inputs);
    if (!r.empty()) inputs = std::move(r);
  }
  std::shared_ptr<BackwardHookCall> call;
  const std::uint64_t call_start = next_sequence_number();
  if (!hooks->backward.empty() && is_grad_enabled()) {
    call = std::make_shared<BackwardHookCall>();
    call->module = this;
    for (const auto& h : hooks->backward) call->hooks.push_back(h.fn);
    call->n_inputs = inputs.size();
    inputs = hook_inputs(std::move(inputs), call);
  }
  Tensor out = inputs.size() == 1 ? forward(inputs[0]) : forward_many(inputs);
  const auto post = hooks->post;
  for (const auto& h : post) {
    Tensor r = h.fn(*this, inputs, out);
    if (r.defined()) out = std::move(r);
  }
  if (call && out.defined() && out.requires_grad()) out = hook_output(out, call, call_start);
  return out;
}

void Module::check_new_name(const std::string& name) const {
  if (name.empty() || name.find('.') != std::string::npos) {
    throw ValueError("Module: name '" + name + "' must be non-empty and contain no '.'");
  }
  bool taken = false;
  for (const Own& p : params_) taken = taken || p.name == name;
  for (const Buffer& b : buffers_) taken = taken || b.name == name;
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

std::size_t Module::register_buffer(std::string name, Array value, BufferDType dtype) {
  check_new_name(name);
  if (!value.defined()) throw ValueError("register_buffer: '" + name + "' is an undefined array");
  buffers_.push_back({std::move(name), Tensor(std::move(value)), dtype});
  return buffers_.size() - 1;
}

void Module::collect_buffers(const std::string& prefix,
                             std::vector<std::pair<std::string, Buffer*>>& out) {
  for (Buffer& b : buffers_) out.emplace_back(prefix + b.name, &b);
  for (auto& [name, child] : children_) child->collect_buffers(prefix + name + ".", out);
}

NamedArrays Module::buffers() const {
  NamedArrays out;
  for (const Buffer& b : buffers_) out.emplace_back(b.name, b.tensor.value());
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
  std::vector<std::pair<std::string, Buffer*>> bufs;
  collect_buffers("", bufs);
  for (auto& [name, b] : bufs) {
    if (b->dtype == BufferDType::kFollowsModule) {
      b->tensor.mutable_value() = b->tensor.value().to(dtype);
    }
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
  std::vector<std::pair<std::string, Buffer*>> bufs;
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
  for (const auto& [name, target] : bufs) check("buffer", name, target->tensor.value());
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
  for (auto& [name, target] : bufs) target->tensor.mutable_value() = *by_name[name];
}

}  // namespace xgrad
