// Node: one recorded op (or a leaf) of the define-by-run graph.
//
// Ownership (Note [Graph ownership]): a Node owns its inputs through
// shared_ptr, and inputs are always older (smaller `seq`) than the node, so
// the graph has no cycles. Nothing else in the graph is strong. A backward
// function reads its inputs and its own output through the `const Node&`
// argument and captures only plain data (shapes, masks, indices): never a
// Tensor, a NodePtr, `this` or a reference, since it outlives the forward
// scope and capturing the output would make the node own itself.
//
// Destruction is iterative (see ~Node), so a 1,000,000-node chain is freed
// without recursing once per node.
// Thread safety: a graph is built and differentiated by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "framework/array.h"

namespace xgrad {

struct Node;
using NodePtr = std::shared_ptr<Node>;
// One gradient per input, in input order; an undefined Array means "no
// gradient" (a label, a mask, or an input that does not require grad).
// Grads{a, b} moves temporaries in (a std::vector built from a braced list
// would copy every gradient once more).
class Grads {
 public:
  Grads() = default;
  explicit Grads(std::size_t n) : v_(n) {}
  template <class... A,
            class = std::enable_if_t<(sizeof...(A) > 0) &&
                                     (std::is_same_v<std::decay_t<A>, Array> && ...)>>
  Grads(A&&... arrays) {  // NOLINT: implicit, so `return Grads{dx};` reads naturally
    v_.reserve(sizeof...(A));
    (v_.push_back(std::forward<A>(arrays)), ...);
  }

  std::size_t size() const { return v_.size(); }
  Array& operator[](std::size_t i) { return v_[i]; }
  const Array& operator[](std::size_t i) const { return v_[i]; }
  void push_back(Array a) { v_.push_back(std::move(a)); }
  auto begin() { return v_.begin(); }
  auto end() { return v_.end(); }
  auto begin() const { return v_.begin(); }
  auto end() const { return v_.end(); }

 private:
  std::vector<Array> v_;
};

// Receives the node (its value is the op's output, its inputs the op's
// inputs) and the gradient of the loss with respect to the output.
using BackwardFn = std::function<Grads(const Node& out, const Array& grad_out)>;

struct Node {
  Array value;
  Array grad;                   // accumulated gradient: leaves and retain_grad()
  std::vector<NodePtr> inputs;  // strong edges to older nodes
  BackwardFn backward;          // empty for leaves
  std::string op = "leaf";
  std::uint64_t seq = 0;  // creation order: inputs have smaller seq
  bool requires_grad = false;
  bool interior = false;  // made by an op (not a leaf)
  bool released = false;  // backward already freed this node's graph
  bool retains_grad = false;
  Array pending;  // engine-private: gradient flowing during backward

  Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  ~Node();

  const Array& input(std::size_t i) const { return inputs[i]->value; }
  bool input_requires_grad(std::size_t i) const { return inputs[i]->requires_grad; }
  bool is_leaf() const { return !interior; }
};

// Next value of the global creation counter (thread-safe).
std::uint64_t next_sequence_number();

// Number of Nodes alive in the process; tests use it to check that a graph
// is freed after backward.
std::int64_t live_node_count();

}  // namespace xgrad
