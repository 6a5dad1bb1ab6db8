// Module: the base of every layer and model.
//
// A module owns named parameters (leaf tensors that require grad, each with
// a role: weight or bias) and named child modules; `parameters()` walks the
// tree depth-first and names each parameter by its path ("0.weight",
// "features.conv1.bias"). Layers compose ops in forward() and never write a
// backward: autodiff derives it.
// Modules are shared by std::shared_ptr (a child may be held by its parent
// and by the user). train()/eval() set the mode of the whole tree (dropout
// reads it). to(kFloat64) converts every parameter in place, so a whole model
// can be gradient-checked.
// Besides parameters a module may own buffers: named Arrays of state that is
// not trained but must be saved for a bit-exact resume (a dropout layer's
// position in its random stream). Buffers are in state_dict() under their
// path, never in parameters(), and to() leaves them alone.
// Names (of parameters, buffers and children) are non-empty, contain no '.'
// and are unique within their module, so every path is unambiguous.
// Thread safety: none; one thread uses a module at a time.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "framework/named_arrays.h"
#include "framework/tensor.h"

namespace xgrad {

enum class ParamRole { kWeight, kBias };

struct Parameter {
  std::string name;  // path from the module parameters() was called on
  Tensor tensor;     // shares the module's node: updating it updates the module
  ParamRole role;
};

class Module {
 public:
  virtual ~Module() = default;

  virtual Tensor forward(const Tensor& x) = 0;
  Tensor operator()(const Tensor& x) { return forward(x); }

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
  std::size_t register_buffer(std::string name, Array value);
  Array& buffer(std::size_t i) { return buffers_.at(i).second; }
  const Array& buffer(std::size_t i) const { return buffers_.at(i).second; }

 private:
  struct Own {
    std::string name;
    Tensor tensor;
    ParamRole role;
  };
  void check_new_name(const std::string& name) const;
  void collect(const std::string& prefix, std::vector<Parameter>& out) const;
  void collect_buffers(const std::string& prefix, std::vector<std::pair<std::string, Array*>>& out);
  void describe_into(const std::string& label, int depth, std::string& out) const;

  std::vector<Own> params_;
  std::vector<std::pair<std::string, Array>> buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  bool training_ = true;
};

}  // namespace xgrad
