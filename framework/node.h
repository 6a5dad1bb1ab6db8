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
// Backward functions work on Tensors (Note [Differentiable backward]): they
// receive the upstream gradient as a Tensor and return one Tensor per input,
// computed with ops. Under a first-order backward() grad mode is off, so
// those ops record nothing and run their kernels as they would on Arrays;
// under grad(..., create_graph=true) the same formulas are recorded and can
// be differentiated again, to any order. An op whose gradient needs a
// dedicated kernel writes it as an op of its own (e.g. conv2d's input
// gradient), with its own backward.
//
// Note [Version counters]: `version` counts in-place writes to a leaf's
// value (Tensor::mutable_value). Each edge remembers its input's version
// when the op was recorded, and the engine refuses to run a backward whose
// inputs were written since: the gradient would be computed from values
// (or shapes) the forward pass never saw.
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
#include "framework/tensor.h"

namespace xgrad {

// The id of the backward pass running on this thread (0 outside backward);
// nested passes (a gradient computed inside a backward function) restore it.
std::uint64_t current_backward_pass();

// One gradient per input, in input order; an undefined Tensor means "no
// gradient" (a label, a mask, or an input that does not require grad).
class Grads {
 public:
  Grads() = default;
  explicit Grads(std::size_t n) : v_(n) {}
  Grads(std::initializer_list<Tensor> grads) : v_(grads) {}  // NOLINT: `return Grads{dx};`

  std::size_t size() const { return v_.size(); }
  Tensor& operator[](std::size_t i) { return v_[i]; }
  const Tensor& operator[](std::size_t i) const { return v_[i]; }
  void push_back(Tensor t) { v_.push_back(std::move(t)); }
  auto begin() { return v_.begin(); }
  auto end() { return v_.end(); }
  auto begin() const { return v_.begin(); }
  auto end() const { return v_.end(); }

 private:
  std::vector<Tensor> v_;
};

// Receives the node (its value is the op's output, its inputs the op's
// inputs) and the gradient of the loss with respect to the output.
using BackwardFn = std::function<Grads(const Node& out, const Tensor& grad_out)>;

struct Edge {
  NodePtr node;
  std::uint32_t version = 0;  // the input's version when the op was recorded
};

// Rarely used per-node state, allocated only when used (hooks, anomaly
// traces), so a plain node stays small.
struct NodeExtras {
  struct Hook {
    std::uint64_t id;
    TensorHook fn;
  };
  struct PostHook {
    std::uint64_t id;
    std::function<void(const Tensor&)> fn;
  };
  std::vector<Hook> hooks;
  std::vector<PostHook> post_accumulate_hooks;
  std::vector<void*> trace;  // call stack where the op was recorded (anomaly mode)
};

struct Node : std::enable_shared_from_this<Node> {
  Array value;
  Array grad;               // accumulated gradient: leaves and retain_grad()
  std::vector<Edge> inputs;  // strong edges to older nodes
  BackwardFn backward;      // empty for leaves
  const char* op = "leaf";      // static storage: a literal, or interned (record)
  const char* scope = nullptr;  // the GraphScope it was recorded in, if any (graph_dot.h)
  std::uint64_t seq = 0;      // creation order: inputs have smaller seq
  std::uint32_t version = 0;  // in-place writes so far (Note [Version counters])
  bool requires_grad = false;
  bool interior = false;  // made by an op (not a leaf)
  bool released = false;  // backward already freed this node's graph
  bool retains_grad = false;
  bool wanted = true;        // engine-private: its gradient is needed in this pass
  std::uint64_t visit = 0;  // engine-private: the last backward pass that reached it
  Tensor pending;           // engine-private: gradient flowing during backward
  std::unique_ptr<NodeExtras> extras;

  Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  ~Node();

  // Input i as a Tensor on the graph (so a gradient formula that uses it is
  // differentiable with respect to it).
  Tensor input(std::size_t i) const { return Tensor(inputs[i].node); }
  const Array& input_value(std::size_t i) const { return inputs[i].node->value; }
  const Shape& input_shape(std::size_t i) const { return inputs[i].node->value.shape(); }
  // This op's output as a Tensor on the graph (for gradients written with
  // the output, e.g. sigmoid's y (1 - y)).
  Tensor output() const;
  // Whether backward must compute a gradient for input i: it requires grad
  // and the running backward pass reaches and needs it.
  bool needs_grad(std::size_t i) const {
    const Node& in = *inputs[i].node;
    return in.requires_grad && in.visit == current_backward_pass() && in.wanted;
  }
  bool is_leaf() const { return !interior; }
  NodeExtras& extra();
};

// Next value of the global creation counter (thread-safe).
std::uint64_t next_sequence_number();

// Number of Nodes alive in the process; tests use it to check that a graph
// is freed after backward.
std::int64_t live_node_count();

}  // namespace xgrad
