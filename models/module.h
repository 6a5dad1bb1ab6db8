// Module: the base of every layer and model.
//
// A module owns named parameters (leaf tensors that require grad, each with
// a role: weight, bias or normalisation scale) and named child modules; `parameters()` walks the
// tree depth-first and names each parameter by its path ("0.weight",
// "features.conv1.bias"). Layers compose ops in forward() and never write a
// backward: autodiff derives it.
// Modules are shared by std::shared_ptr (a child may be held by its parent
// and by the user). train()/eval() set the mode of the whole tree (dropout
// reads it). to(kFloat64) converts every parameter in place, so a whole model
// can be gradient-checked.
// Besides parameters a module may own buffers: named Arrays of state that is
// not trained but must be saved for a bit-exact resume (a dropout layer's
// position in its random stream, BatchNorm's running statistics). Buffers
// are in state_dict() under their path, never in parameters(); to()
// converts those registered with BufferDType::kFollowsModule (running
// statistics, as PyTorch converts floating buffers) and leaves the others
// (kFixed: a random stream's state, a step counter) alone. A buffer is held
// by a leaf Tensor that never requires grad, so an op can update it in
// place (batch_norm's running statistics).
// Names (of parameters, buffers and children) are non-empty, contain no '.'
// and are unique within their module, so every path is unambiguous.
// Thread safety: none; one thread uses a module at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "framework/named_arrays.h"
#include "framework/tensor.h"

namespace xgrad {

// kWeight: a weight matrix or kernel (decayed, penalised, set by
// init_module's weight initialiser). kBias: an additive offset (not decayed
// or penalised by default; init_module's bias initialiser). kNormWeight: the
// scale γ of a normalisation layer: treated like a bias by weight decay and
// penalties, and left at its own initial value (ones) by init_module.
enum class ParamRole { kWeight, kBias, kNormWeight };

// Whether Module::to(dtype) converts a buffer.
enum class BufferDType { kFixed, kFollowsModule };

struct Parameter {
  std::string name;  // path from the module parameters() was called on
  Tensor tensor;     // shares the module's node: updating it updates the module
  ParamRole role;
};

struct ModuleHooks;  // a module's hooks (module.cpp)

// Removes a module hook when asked (remove()); destroying the handle keeps
// the hook. The module counterpart of HookHandle (framework/tensor.h),
// which holds a graph node where this holds the module's hook list.
class ModuleHookHandle {
 public:
  ModuleHookHandle() = default;
  ModuleHookHandle(std::weak_ptr<ModuleHooks> hooks, std::uint64_t id)
      : hooks_(std::move(hooks)), id_(id) {}
  // Removes the hook; a no-op if it is already gone (or the module is).
  void remove();

 private:
  std::weak_ptr<ModuleHooks> hooks_;
  std::uint64_t id_ = 0;
};

class Module {
 public:
  virtual ~Module() = default;

  // Forward: a module overrides exactly one of the two.
  //   forward(x): a module of one input (every layer but the cells).
  //   forward_many(inputs): a module of several (GRUCell's (x, h), a user's
  //     attention(q, k, v)); inputs in the order the module documents.
  // By default each calls the other: forward(x) is forward_many({x}), and
  // forward_many({x}) is forward(x) (ValueError naming the module for any
  // other count). A module that overrides neither throws GraphError when
  // called. (Distinct names, so overriding one hides nothing.)
  virtual Tensor forward(const Tensor& x);
  virtual Tensor forward_many(const std::vector<Tensor>& inputs);

  // Calling a module, as in PyTorch: m(x), m(a, b), m({a, b, c}); runs the
  // hooks (below) around forward/forward_many. Containers call their
  // children this way, so a child's hooks run inside a Sequential.
  Tensor operator()(const Tensor& x);
  Tensor operator()(const std::vector<Tensor>& inputs);
  template <class... More>
  Tensor operator()(const Tensor& a, const Tensor& b, const More&... more) {
    return (*this)(std::vector<Tensor>{a, b, more...});
  }

  // ---- Hooks (PyTorch's module hooks) ----
  // Run when the module is called (m(x), m(a, b)), not by forward() itself.
  // With none registered a call is one pointer test on top of forward: no
  // allocation, no copy.
  //   forward pre-hook (module, inputs): before forward; may return
  //     replacement inputs (an empty vector keeps them).
  //   forward hook (module, inputs, output): after forward; may return a
  //     replacement output (an undefined Tensor keeps it).
  //   full backward hook (module, grad_input, grad_output): once per backward
  //     pass that reaches the module, when the gradients with respect to its
  //     inputs are known: grad_input[i] for input i (undefined for an input
  //     that does not require grad, e.g. the data or int64 indices),
  //     grad_output = {gradient with respect to the output}. It may return
  //     replacement input gradients (as many as inputs; an undefined entry
  //     keeps that one; an empty vector keeps all), which flow on instead.
  //     When no input requires grad it is called as the output's gradient
  //     arrives, with every grad_input undefined (and a replacement is
  //     ValueError). The hooks registered when the module was called apply
  //     to that call's graph (as PyTorch); the module must outlive the
  //     backward pass. How: the inputs that require grad are flattened,
  //     concatenated and sliced back before forward (so they must share a
  //     dtype), and tensor hooks (Tensor::register_hook) on that
  //     concatenation and on the output see every input gradient at once and
  //     the output gradient; only calls of a module with backward hooks pay
  //     for these copies.
  // Hooks run in registration order; each handle's remove() unregisters its hook.
  // Under NoGradGuard forward hooks run; backward hooks are not set up.
  using ForwardPreHook =
      std::function<std::vector<Tensor>(Module& module, const std::vector<Tensor>& inputs)>;
  using ForwardHook = std::function<Tensor(Module& module, const std::vector<Tensor>& inputs,
                                           const Tensor& output)>;
  using BackwardHook =
      std::function<std::vector<Tensor>(Module& module, const std::vector<Tensor>& grad_input,
                                        const std::vector<Tensor>& grad_output)>;
  ModuleHookHandle register_forward_pre_hook(ForwardPreHook hook);
  ModuleHookHandle register_forward_hook(ForwardHook hook);
  ModuleHookHandle register_full_backward_hook(BackwardHook hook);

  // One line naming the module and its configuration, e.g. "Linear(784 -> 256)".
  virtual std::string name() const = 0;
  // The whole tree with parameter shapes and counts, one module per line.
  std::string describe() const;

  std::vector<Parameter> parameters() const;
  std::size_t parameter_count() const;
  void zero_grad();

  void train(bool training = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }

  // Converts every parameter to `dtype` in place (gradients are dropped).
  void to(DType dtype);

  // Buffers by path (copies), depth-first like parameters().
  NamedArrays buffers() const;

  // Parameter values then buffers, by path (copies), and loading them back:
  // names, shapes and dtypes must match exactly (no entry missing, none
  // unexpected or repeated), else a ShapeError/DTypeError/ValueError names
  // the entry; nothing is changed unless every entry checks out.
  NamedArrays state_dict() const;
  void load_state_dict(const NamedArrays& state);

  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& children() const {
    return children_;
  }

 protected:
  // REQUIRES: `value` is a leaf; it is marked requires_grad. The returned
  // handle shares the parameter's node (keep it as a member).
  Tensor register_parameter(std::string name, Tensor value, ParamRole role);
  template <class M>
  std::shared_ptr<M> register_module(std::string name, std::shared_ptr<M> module) {
    check_new_name(name);
    if (!module) throw ValueError("register_module: '" + name + "' is a null module");
    children_.emplace_back(std::move(name), module);
    return module;
  }
  // Returns the buffer's index for buffer(i).
  std::size_t register_buffer(std::string name, Array value,
                              BufferDType dtype = BufferDType::kFixed);
  // The value for writing (counts as an in-place write, see Tensor::mutable_value).
  Array& buffer(std::size_t i) { return buffers_.at(i).tensor.mutable_value(); }
  const Array& buffer(std::size_t i) const { return buffers_.at(i).tensor.value(); }
  // The leaf holding the buffer, for ops that update it in place.
  const Tensor& buffer_tensor(std::size_t i) const { return buffers_.at(i).tensor; }

 private:
  struct Own {
    std::string name;
    Tensor tensor;
    ParamRole role;
  };
  struct Buffer {
    std::string name;
    Tensor tensor;  // a leaf, never requires grad
    BufferDType dtype;
  };

  void check_new_name(const std::string& name) const;
  Tensor call_hooked(std::vector<Tensor> inputs);
  void collect(const std::string& prefix, std::vector<Parameter>& out) const;
  void collect_buffers(const std::string& prefix,
                       std::vector<std::pair<std::string, Buffer*>>& out);
  void describe_into(const std::string& label, int depth, std::string& out) const;

  std::vector<Own> params_;
  std::vector<Buffer> buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  bool training_ = true;
  std::shared_ptr<ModuleHooks> hooks_;  // null until a hook is registered
  bool in_default_forward_ = false;     // guards against a module overriding neither forward
};

}  // namespace xgrad
