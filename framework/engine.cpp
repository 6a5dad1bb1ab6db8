#include "framework/engine.h"

#include <algorithm>
#include <limits>
#include <string>
#include <unordered_map>
#include <atomic>
#include <vector>

#include "framework/anomaly.h"
#include "framework/grad_mode.h"
#include "framework/record.h"

namespace xgrad {

namespace {

[[noreturn]] void throw_freed(const Node& n) {
  throw GraphError("backward: the graph behind '" + std::string(n.op) +
                   "' was already freed by an earlier backward(); pass retain_graph=true to the "
                   "first backward() to go through it twice");
}

thread_local std::uint64_t t_pass = 0;

// Reachable nodes that require grad, youngest first (Note [Backward order]),
// each marked with the id of this pass: a backward function computes
// gradients only for inputs so marked (Node::needs_grad). Nodes older than
// `min_seq` are left out (in a functional pass, no target can be reached
// from a node older than every target), so a pass nested inside another's
// backward function (record_fused) never touches the outer pass's nodes.
std::vector<NodePtr> backward_order(const std::vector<Tensor>& roots, std::uint64_t pass,
                                    std::uint64_t min_seq) {
  // Marks a node as seen by this pass; true the first time.
  auto first_visit = [pass](Node& n) {
    if (n.visit == pass) return false;
    n.visit = pass;
    return true;
  };
  std::vector<NodePtr> order;
  std::vector<const NodePtr*> stack;
  for (const Tensor& r : roots) {
    if (first_visit(*r.node())) stack.push_back(&r.node());
  }
  while (!stack.empty()) {
    const NodePtr& node = *stack.back();
    stack.pop_back();
    if (node->released) throw_freed(*node);
    order.push_back(node);
    for (const Edge& in : node->inputs) {
      if (in.node->requires_grad && in.node->seq >= min_seq && first_visit(*in.node)) {
        stack.push_back(&in.node);
      }
    }
  }
  std::sort(order.begin(), order.end(),
            [](const NodePtr& a, const NodePtr& b) { return a->seq > b->seq; });
  return order;
}

// a + b for two gradients of one shape, recorded when grad mode is on (the
// sum of two gradient contributions is then differentiable too).
Tensor add_gradients(const Tensor& a, const Tensor& b) {
  Array sum = a.value();
  sum.add_(b.value());
  return record("add", std::move(sum), {a, b},
                [](const Node&, const Tensor& g) { return Grads{g, g}; });
}

// into += g. Without create_graph a temporary gradient (nobody else holds
// it) is added to in place; otherwise a new tensor is made.
void accumulate(Tensor& into, Tensor g, bool create_graph) {
  if (!into.defined()) {
    into = std::move(g);
  } else if (create_graph) {
    into = add_gradients(into, g);
  } else if (into.node().use_count() == 1 && into.is_leaf()) {
    into.node()->value.add_(g.value());
  } else {
    Array sum = into.value();
    sum.add_(g.value());
    into = Tensor(std::move(sum));
  }
}

// A leaf's grad() += g (a copy unless g is a temporary nobody else holds).
void accumulate_leaf(Node& leaf, Tensor&& g) {
  if (leaf.grad.defined()) {
    leaf.grad.add_(g.value());
  } else if (g.node().use_count() == 1 && g.is_leaf()) {
    leaf.grad = std::move(g.node()->value);
  } else {
    leaf.grad = g.value();
  }
}

void check_versions(const Node& n) {
  for (std::size_t i = 0; i < n.inputs.size(); ++i) {
    const Edge& e = n.inputs[i];
    if (e.node->version != e.version) {
      throw GraphError("backward of '" + std::string(n.op) + "': input " + std::to_string(i) + " (" +
                       (e.node->interior ? "op '" + std::string(e.node->op) + "'" : std::string("a leaf")) +
                       ", shape " + format_shape(e.node->value.shape()) +
                       ") was modified in place after the forward pass (version " +
                       std::to_string(e.node->version) + ", recorded at version " +
                       std::to_string(e.version) +
                       "); compute the forward pass again after changing it");
    }
  }
}

void check_grads(const Node& n, const Grads& grads) {
  if (grads.size() != n.inputs.size()) {
    throw GraphError("backward of '" + std::string(n.op) + "' returned " + std::to_string(grads.size()) +
                     " gradients for " + std::to_string(n.inputs.size()) + " inputs");
  }
  for (std::size_t i = 0; i < grads.size(); ++i) {
    if (!grads[i].defined() || !n.needs_grad(i)) continue;
    const Array& x = n.input_value(i);
    if (grads[i].shape() != x.shape()) {
      throw_shape_error("backward of '" + std::string(n.op) + "'",
                        "gradient of input " + std::to_string(i) + " must have the input's shape",
                        "gradient", grads[i].shape(), "input", x.shape());
    }
    if (grads[i].dtype() != x.dtype()) {
      throw_dtype_error("backward of '" + std::string(n.op) + "'",
                        "gradient of input " + std::to_string(i) + " must have the input's dtype",
                        "gradient", grads[i].dtype(), "input", x.dtype());
    }
  }
}

// Applies the tensor hooks of `node` to its gradient.
void run_hooks(Node& node, Tensor& g) {
  if (!node.extras) return;
  for (const NodeExtras::Hook& h : node.extras->hooks) {
    Tensor replaced = h.fn(g);
    if (replaced.defined()) {
      if (replaced.shape() != g.shape() || replaced.dtype() != g.dtype()) {
        throw_shape_error("hook on '" + std::string(node.op) + "'",
                          "a hook must return a gradient of the same shape and dtype", "gradient",
                          g.shape(), "returned", replaced.shape());
      }
      g = std::move(replaced);
    }
  }
}

// One backward pass. In functional mode (`targets` not empty) the gradients
// reaching the targets are returned and no leaf's grad() changes.
struct Pass {
  bool retain_graph = false;
  bool create_graph = false;
  bool functional = false;
  StepCallback on_step;
  std::unordered_map<const Node*, std::vector<std::size_t>> targets;  // node -> input indices
  std::vector<Tensor> results;
  // Leaf -> ops of this pass that use it and have not run yet (Note [Leaves
  // when ready]).
  std::unordered_map<const Node*, std::uint32_t> leaf_consumers;

  void run(std::vector<NodePtr>& order) {
    for (std::size_t i = 0; i < order.size(); ++i) {
      NodePtr& node = order[i];
      Tensor g = std::move(node->pending);
      node->pending = Tensor();
      if (g.defined()) visit(*node, std::move(g));
      visit_ready_leaves(*node);
      if (node->interior && !retain_graph) {
        node->backward = nullptr;
        node->inputs.clear();
        node->released = true;
      }
      node->wanted = true;  // read only by younger consumers, all visited by now
      node.reset();         // free as we go: inputs still in `order` stay alive
    }
  }

  // Note [Leaves when ready]: leaves are the oldest nodes (parameters are
  // made before any forward op), so in creation order they would all come
  // last, after every op's backward. A leaf's gradient is final as soon as
  // the last op of this pass that uses it has run: it is accumulated and its
  // hooks called then, so a post-accumulate-grad hook sees each gradient as
  // early as it exists (data parallelism starts sending it while backward
  // goes on). The sum is the same: its contributions arrive in the same
  // order either way. Called after `consumer` ran (or was skipped), before
  // its edges are released.
  void visit_ready_leaves(const Node& consumer) {
    if (leaf_consumers.empty()) return;
    for (const Edge& e : consumer.inputs) {
      auto it = leaf_consumers.find(e.node.get());
      if (it == leaf_consumers.end() || --it->second > 0) continue;
      Node& leaf = *e.node;
      Tensor g = std::move(leaf.pending);
      leaf.pending = Tensor();
      if (g.defined()) visit(leaf, std::move(g));
    }
  }

  void visit(Node& node, Tensor g) {
    run_hooks(node, g);
    if (functional) {
      auto it = targets.find(&node);
      if (it != targets.end()) {
        for (std::size_t k : it->second) results[k] = g;
      }
    }
    if (!node.interior) {
      if (!functional) {
        accumulate_leaf(node, std::move(g));
        if (node.extras) {
          const Tensor leaf = node.output();
          for (const NodeExtras::PostHook& h : node.extras->post_accumulate_hooks) h.fn(leaf);
        }
      }
      return;
    }
    if (node.retains_grad && !functional) {
      if (node.grad.defined()) {
        node.grad.add_(g.value());
      } else {
        node.grad = g.value();
      }
    }
    bool any_needed = false;
    for (std::size_t k = 0; k < node.inputs.size() && !any_needed; ++k) {
      any_needed = node.needs_grad(k);
    }
    if (!any_needed) return;
    check_versions(node);
    Grads grads = node.backward(node, g);
    check_grads(node, grads);
    if (is_anomaly_enabled()) detail::check_backward_finite(node, grads);
    if (on_step) on_step(BackwardStep{node, g, grads});
    for (std::size_t k = 0; k < grads.size(); ++k) {
      if (node.needs_grad(k) && grads[k].defined()) {
        accumulate(node.inputs[k].node->pending, std::move(grads[k]), create_graph);
      }
    }
  }
};

// Checks roots and seeds; returns the seeds (ones where none was given).
std::vector<Tensor> seeds_for(const char* what, const std::vector<Tensor>& roots,
                              const std::vector<Tensor>& grad_outputs) {
  if (roots.empty()) throw GraphError(std::string(what) + ": no output to differentiate");
  if (!grad_outputs.empty() && grad_outputs.size() != roots.size()) {
    throw GraphError(std::string(what) + ": " + std::to_string(grad_outputs.size()) +
                     " upstream gradients for " + std::to_string(roots.size()) + " outputs");
  }
  std::vector<Tensor> seeds;
  for (std::size_t i = 0; i < roots.size(); ++i) {
    const Tensor& root = roots[i];
    if (!root.defined()) throw GraphError(std::string(what) + ": undefined tensor");
    if (!root.requires_grad()) {
      throw GraphError(std::string(what) + ": the tensor (op '" + root.op() +
                       "') does not require grad: no input of its graph has requires_grad=true");
    }
    const Tensor* given = grad_outputs.empty() || !grad_outputs[i].defined() ? nullptr
                                                                              : &grad_outputs[i];
    if (given == nullptr) {
      if (root.size() != 1) {
        throw_shape_error(what,
                          "an upstream gradient is required for an output with more than one "
                          "element",
                          "output", root.shape());
      }
      seeds.emplace_back(Array::full(root.shape(), 1.0, root.dtype()));
      continue;
    }
    if (given->shape() != root.shape()) {
      throw_shape_error(what, "upstream gradient must have the output's shape", "gradient",
                        given->shape(), "output", root.shape());
    }
    if (given->dtype() != root.dtype()) {
      throw_dtype_error(what, "upstream gradient must have the output's dtype", "gradient",
                        given->dtype(), "output", root.dtype());
    }
    seeds.push_back(*given);
  }
  return seeds;
}

// Runs `pass` from the roots; on any exception no half-flowed gradient or
// `wanted` mark is left behind.
void execute(Pass& pass, const std::vector<Tensor>& roots, std::vector<Tensor> seeds) {
  std::uint64_t min_seq = 0;
  if (pass.functional) {
    min_seq = std::numeric_limits<std::uint64_t>::max();
    for (const auto& t : pass.targets) min_seq = std::min(min_seq, t.first->seq);
  }
  static std::atomic<std::uint64_t> passes{0};
  const std::uint64_t pass_id = ++passes;
  const std::uint64_t outer = t_pass;
  std::vector<NodePtr> order = backward_order(roots, pass_id, min_seq);
  for (const NodePtr& n : order) {
    for (const Edge& e : n->inputs) {
      if (!e.node->interior && e.node->visit == pass_id) ++pass.leaf_consumers[e.node.get()];
    }
  }
  t_pass = pass_id;
  try {
    if (pass.functional) {
      // wanted: a target, or an input of something wanted (oldest first).
      for (auto it = order.rbegin(); it != order.rend(); ++it) {
        Node& n = **it;
        bool wanted = pass.targets.count(&n) > 0;
        for (std::size_t k = 0; k < n.inputs.size() && !wanted; ++k) wanted = n.needs_grad(k);
        n.wanted = wanted;
      }
    }
    AutoGradMode mode(pass.create_graph);
    for (std::size_t i = 0; i < roots.size(); ++i) {
      accumulate(roots[i].node()->pending, std::move(seeds[i]), pass.create_graph);
    }
    pass.run(order);
  } catch (...) {
    for (NodePtr& node : order) {  // the nodes not visited yet
      if (!node) continue;
      node->pending = Tensor();
      node->wanted = true;
    }
    t_pass = outer;
    throw;
  }
  t_pass = outer;
}

}  // namespace

std::uint64_t current_backward_pass() { return t_pass; }

void backward(const std::vector<Tensor>& roots, const std::vector<Tensor>& grad_outputs,
              const BackwardOptions& options) {
  std::vector<Tensor> seeds = seeds_for("backward", roots, grad_outputs);
  Pass pass;
  pass.retain_graph = options.retain_graph || options.create_graph;
  pass.create_graph = options.create_graph;
  pass.on_step = options.on_step;
  execute(pass, roots, std::move(seeds));
}

std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs, std::optional<bool> retain_graph,
                         bool create_graph, bool allow_unused) {
  std::vector<Tensor> seeds = seeds_for("grad", outputs, grad_outputs);
  Pass pass;
  pass.functional = true;
  pass.create_graph = create_graph;
  pass.retain_graph = retain_graph.value_or(create_graph);
  pass.results.resize(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].defined()) throw GraphError("grad: input " + std::to_string(i) + " is undefined");
    if (!inputs[i].requires_grad()) {
      throw GraphError("grad: input " + std::to_string(i) + " (op '" + inputs[i].op() +
                       "') does not require grad");
    }
    pass.targets[inputs[i].node().get()].push_back(i);
  }
  execute(pass, outputs, std::move(seeds));
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!pass.results[i].defined() && !allow_unused) {
      throw GraphError("grad: input " + std::to_string(i) + " (op '" + inputs[i].op() +
                       "', shape " + format_shape(inputs[i].shape()) +
                       ") is not used by the outputs; pass allow_unused=true to get an undefined "
                       "gradient for it");
    }
  }
  return std::move(pass.results);
}

}  // namespace xgrad
