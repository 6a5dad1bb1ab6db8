// Tensor: the user's handle on a Node of the define-by-run graph.
//
// A Tensor is cheap to copy (it shares its Node). Ops on tensors that
// require grad record a new Node whose inputs are the operands' nodes; the
// graph is the chain of those records, and `backward()` walks it in reverse.
// A default-constructed Tensor is undefined (no node).
// Thread safety: as for Node, one thread builds and differentiates a graph.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "framework/array.h"

namespace xgrad {

struct Node;
using NodePtr = std::shared_ptr<Node>;

class Tensor;
// A gradient hook: called with a tensor's gradient when backward computes
// it; returns a replacement, or an undefined Tensor to keep the gradient.
using TensorHook = std::function<Tensor(const Tensor& grad)>;

// Removes a hook when asked (remove()); destroying the handle keeps the hook.
class HookHandle {
 public:
  HookHandle() = default;
  HookHandle(std::weak_ptr<Node> node, std::uint64_t id) : node_(std::move(node)), id_(id) {}
  // Removes the hook; a no-op if it is already gone.
  void remove();

 private:
  std::weak_ptr<Node> node_;
  std::uint64_t id_ = 0;
};

class Tensor {
 public:
  Tensor() = default;
  // A leaf holding `value`. ValueError/DTypeError if requires_grad is asked
  // of an int64 value (only floating-point tensors have gradients).
  explicit Tensor(Array value, bool requires_grad = false);
  // Wraps an existing node (used by the op recorder).
  explicit Tensor(NodePtr node) : node_(std::move(node)) {}

  bool defined() const { return node_ != nullptr; }
  const Array& value() const;
  const Shape& shape() const { return value().shape(); }
  DType dtype() const { return value().dtype(); }
  std::size_t dim() const { return value().dim(); }
  std::size_t size() const { return value().size(); }
  // The single element of a one-element tensor.
  double item() const { return value().item(); }
  // Element at a multi-index, bounds-checked (ShapeError).
  double at(const std::vector<std::size_t>& index) const { return value().at(index); }
  // Name of the op that made this tensor ("leaf" for leaves).
  std::string op() const;

  bool requires_grad() const;
  // Marks a leaf as a parameter (or not). REQUIRES: a leaf; a floating-point
  // dtype to turn it on (int64 tensors never require grad: DTypeError).
  Tensor& requires_grad_(bool requires_grad = true);
  bool is_leaf() const;

  // Gradient accumulated by backward(); throws GraphError if this tensor
  // does not require grad or has no gradient yet.
  const Array& grad() const;
  // Whether grad() would return a gradient: requires grad and holds one.
  bool has_grad() const;
  // Forgets the accumulated gradient (the next backward starts from zero).
  void zero_grad();
  // Keeps the gradient of an intermediate (non-leaf) tensor after backward.
  void retain_grad();

  // Reverse-mode autodiff from this tensor. Without `grad_out` the tensor
  // must have one element (the gradient seed is 1). Gradients accumulate in
  // leaves (and retain_grad tensors) until zero_grad. Frees the graph as it
  // goes unless retain_graph. (The functional xgrad::grad() returns
  // gradients instead, and can record them for higher derivatives.)
  void backward(bool retain_graph = false) const;
  void backward(const Array& grad_out, bool retain_graph = false) const;

  // Calls `hook` with this tensor's gradient each time backward computes it,
  // before it is accumulated (leaves) or passed on (intermediates); a defined
  // Tensor returned by the hook replaces the gradient (PyTorch's
  // register_hook). REQUIRES: requires_grad.
  HookHandle register_hook(TensorHook hook);
  // Calls `hook` after a leaf's gradient has been accumulated into grad() in
  // a backward pass ("gradient ready": all of this pass's contributions are
  // in). It runs as soon as the last op of the pass that uses the leaf has
  // run, while backward goes on through older ops (Note [Leaves when ready]
  // in engine.cpp), so the hook can act on each gradient early: start
  // sending it to other processes (models/distributed), clip or log it, or
  // apply an update and free it. REQUIRES: a leaf that requires grad.
  HookHandle register_post_accumulate_grad_hook(std::function<void(const Tensor&)> hook);

  // A new leaf sharing nothing with the graph: a copy of the value.
  Tensor detach() const;

  // This tensor converted to `dtype`, on the graph: the gradient flows back
  // converted to the source dtype (float32 <-> float64). Converting to int64
  // gives a tensor without gradient (truncation toward zero, as PyTorch).
  Tensor to(DType dtype) const;

  // Leaf value for in-place updates by optimisers and initialisers, under
  // NoGradGuard. REQUIRES: a leaf. Every call counts as a write: a backward
  // that reads this tensor's value from an earlier forward pass then throws
  // (Note [Version counters] in framework/node.h).
  Array& mutable_value();
  // Number of writes through mutable_value() so far.
  std::uint32_t version() const;

  const NodePtr& node() const { return node_; }

 private:
  const Node& checked_node() const;
  NodePtr node_;
};

// "Tensor(shape=(2, 3), dtype=float32, requires_grad=true, op=matmul)" and the values.
std::ostream& operator<<(std::ostream& os, const Tensor& t);

}  // namespace xgrad
