// Tensor: the user's handle on a Node of the define-by-run graph.
//
// A Tensor is cheap to copy (it shares its Node). Ops on tensors that
// require grad record a new Node whose inputs are the operands' nodes; the
// graph is the chain of those records, and `backward()` walks it in reverse.
// A default-constructed Tensor is undefined (no node).
// Thread safety: as for Node, one thread builds and differentiates a graph.
#pragma once

#include <iosfwd>
#include <string>

#include "framework/array.h"
#include "framework/node.h"

namespace xgrad {

class Tensor {
 public:
  Tensor() = default;
  // A leaf holding `value`.
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
  // Name of the op that made this tensor ("leaf" for leaves).
  const std::string& op() const;

  bool requires_grad() const;
  // Marks a leaf as a parameter (or not). REQUIRES: a leaf.
  Tensor& requires_grad_(bool requires_grad = true);
  bool is_leaf() const;

  // Gradient accumulated by backward(); throws GraphError if this tensor
  // does not require grad or has no gradient yet.
  const Array& grad() const;
  bool has_grad() const;
  // Forgets the accumulated gradient (the next backward starts from zero).
  void zero_grad();
  // Keeps the gradient of an intermediate (non-leaf) tensor after backward.
  void retain_grad();

  // Reverse-mode autodiff from this tensor. Without `grad_out` the tensor
  // must have one element (the gradient seed is 1). Gradients accumulate in
  // leaves (and retain_grad tensors) until zero_grad. Frees the graph as it
  // goes unless retain_graph.
  void backward(bool retain_graph = false) const;
  void backward(const Array& grad_out, bool retain_graph = false) const;

  // A new leaf with a copy of the value, outside the graph.
  Tensor detach() const;

  // Leaf value for in-place updates by optimisers and initialisers, under
  // NoGradGuard. REQUIRES: a leaf.
  Array& mutable_value();

  const NodePtr& node() const { return node_; }

 private:
  const Node& checked_node() const;
  NodePtr node_;
};

// "Tensor(shape=(2, 3), dtype=float32, requires_grad=true, op=matmul)" and the values.
std::ostream& operator<<(std::ostream& os, const Tensor& t);

}  // namespace xgrad
