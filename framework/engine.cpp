#include "framework/engine.h"

#include <algorithm>
#include <string>
#include <unordered_set>
#include <vector>

#include "framework/grad_mode.h"

namespace xgrad {

namespace {

[[noreturn]] void throw_freed(const Node& n) {
  throw GraphError("backward: the graph behind '" + n.op +
                   "' was already freed by an earlier backward(); pass retain_graph=true to the "
                   "first backward() to go through it twice");
}

// Reachable nodes that require grad, youngest first (Note [Backward order]).
std::vector<NodePtr> backward_order(const NodePtr& root) {
  std::vector<NodePtr> order;
  std::unordered_set<const Node*> seen;
  std::vector<const NodePtr*> stack{&root};
  seen.insert(root.get());
  while (!stack.empty()) {
    const NodePtr& node = *stack.back();
    stack.pop_back();
    if (node->released) throw_freed(*node);
    order.push_back(node);
    for (const NodePtr& in : node->inputs) {
      if (in->requires_grad && seen.insert(in.get()).second) stack.push_back(&in);
    }
  }
  std::sort(order.begin(), order.end(),
            [](const NodePtr& a, const NodePtr& b) { return a->seq > b->seq; });
  return order;
}

void accumulate(Array& into, Array&& g) {
  if (into.defined()) {
    into.add_(g);
  } else {
    into = std::move(g);
  }
}

void check_grads(const Node& n, const Grads& grads) {
  if (grads.size() != n.inputs.size()) {
    throw GraphError("backward of '" + n.op + "' returned " + std::to_string(grads.size()) +
                     " gradients for " + std::to_string(n.inputs.size()) + " inputs");
  }
  for (std::size_t i = 0; i < grads.size(); ++i) {
    if (!grads[i].defined() || !n.inputs[i]->requires_grad) continue;
    const Array& x = n.input(i);
    if (grads[i].shape() != x.shape()) {
      throw_shape_error("backward of '" + n.op + "'",
                        "gradient of input " + std::to_string(i) + " must have the input's shape",
                        "gradient", grads[i].shape(), "input", x.shape());
    }
    if (grads[i].dtype() != x.dtype()) {
      throw DTypeError("backward of '" + n.op + "': gradient of input " + std::to_string(i) +
                       " has dtype " + dtype_name(grads[i].dtype()) + ", input " +
                       dtype_name(x.dtype()));
    }
  }
}

// Runs every backward function in `order` (order[0] is the root, whose
// gradient is `root_grad`), accumulating into the inputs' pending
// gradients, and frees the graph behind unless retain_graph.
void propagate(std::vector<NodePtr>& order, const Array& root_grad, bool retain_graph) {
  for (std::size_t i = 0; i < order.size(); ++i) {
    NodePtr& node = order[i];
    Array owned = std::move(node->pending);
    node->pending = Array();
    const Array& g = i == 0 ? root_grad : owned;  // the root's is not copied
    if (g.defined()) {
      if (!node->interior) {
        accumulate(node->grad, i == 0 ? Array(g) : std::move(owned));
      } else {
        if (node->retains_grad) accumulate(node->grad, Array(g));
        Grads grads = node->backward(*node, g);
        check_grads(*node, grads);
        for (std::size_t k = 0; k < grads.size(); ++k) {
          Node& in = *node->inputs[k];
          if (in.requires_grad && grads[k].defined()) accumulate(in.pending, std::move(grads[k]));
        }
      }
    }
    if (node->interior && !retain_graph) {
      node->backward = nullptr;
      node->inputs.clear();
      node->released = true;
    }
    node.reset();  // free as we go: inputs still in `order` stay alive
  }
}

}  // namespace

void run_backward(const Tensor& root, const Array* grad_out, bool retain_graph) {
  if (!root.defined()) throw GraphError("backward: undefined tensor");
  const NodePtr& root_node = root.node();
  if (!root_node->requires_grad) {
    throw GraphError("backward: the tensor (op '" + root_node->op +
                     "') does not require grad: no input of its graph has requires_grad=true");
  }
  Array ones;
  if (grad_out == nullptr) {
    if (root.size() != 1) {
      throw_shape_error("backward",
                        "an upstream gradient is required for an output with more than one "
                        "element",
                        "output", root.shape());
    }
    ones = Array::full(root.shape(), 1.0, root.dtype());
    grad_out = &ones;
  } else {
    if (grad_out->shape() != root.shape()) {
      throw_shape_error("backward", "upstream gradient must have the output's shape", "gradient",
                        grad_out->shape(), "output", root.shape());
    }
    if (grad_out->dtype() != root.dtype()) {
      throw DTypeError(std::string("backward: upstream gradient dtype ") +
                       dtype_name(grad_out->dtype()) + " differs from the output's " +
                       dtype_name(root.dtype()));
    }
  }

  std::vector<NodePtr> order = backward_order(root_node);
  NoGradGuard no_grad;  // backward functions compute on Arrays; record nothing
  try {
    propagate(order, *grad_out, retain_graph);
  } catch (...) {
    for (NodePtr& node : order) {
      if (node) node->pending = Array();  // leave no half-flowed gradient behind
    }
    throw;
  }
}

}  // namespace xgrad
