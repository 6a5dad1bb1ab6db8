#include "framework/node.h"

#include <atomic>

namespace xgrad {

namespace {
std::atomic<std::uint64_t> g_sequence{0};
std::atomic<std::int64_t> g_live_nodes{0};
}  // namespace

std::uint64_t next_sequence_number() {
  return g_sequence.fetch_add(1, std::memory_order_relaxed) + 1;
}

std::int64_t live_node_count() { return g_live_nodes.load(std::memory_order_relaxed); }

Node::Node() { g_live_nodes.fetch_add(1, std::memory_order_relaxed); }

// Note [Iterative teardown]: the default destructor would destroy `inputs`,
// which destroys the inputs' inputs, and so on: one stack frame per node, and
// a stack overflow near 200,000 nodes. Instead, inputs that this node holds
// the last reference to have their own inputs moved onto a local stack
// before they die, so each node dies with no inputs (as PyTorch's deleteNode).
Node::~Node() {
  g_live_nodes.fetch_sub(1, std::memory_order_relaxed);
  std::vector<NodePtr> stack;
  stack.reserve(inputs.size());
  for (Edge& e : inputs) stack.push_back(std::move(e.node));
  inputs.clear();
  while (!stack.empty()) {
    NodePtr node = std::move(stack.back());
    stack.pop_back();
    if (node && node.use_count() == 1) {
      for (Edge& e : node->inputs) stack.push_back(std::move(e.node));
      node->inputs.clear();
      // A gradient graph kept in `pending` (create_graph) is a chain too.
      if (node->pending.defined()) stack.push_back(node->pending.node());
      node->pending = Tensor();
    }
  }
}

Tensor Node::output() const {
  return Tensor(std::const_pointer_cast<Node>(shared_from_this()));
}

NodeExtras& Node::extra() {
  if (!extras) extras = std::make_unique<NodeExtras>();
  return *extras;
}

}  // namespace xgrad
