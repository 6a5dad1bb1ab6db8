// The backward engine: reverse-mode autodiff over the recorded graph.
//
//   loss.backward();                                  // accumulate into leaves' grad()
//   auto [dx] = grad({y}, {x});                       // return dy/dx, touch no grad()
//   auto g = grad({y}, {x}, {}, {}, /*create_graph=*/true);   // differentiable result:
//   auto h = grad({sum(g[0] * v)}, {x});                       // a Hessian-vector product
//
// Order (Note [Backward order]): the nodes reachable from the roots that
// require grad are collected with an explicit stack (no recursion), then
// sorted by descending creation number; every input is older than its
// consumer, so a node's gradient is complete when it is reached. A leaf is
// visited (gradient accumulated, hooks called) as soon as the last op of the
// pass that uses it has run, not at the end (Note [Leaves when ready]). Each
// backward function's gradients are checked (count, shape, dtype) before
// they are accumulated into the inputs, and its inputs' version counters
// before it runs (Note [Version counters] in node.h).
// Without retain_graph each node's backward function and input edges are
// dropped once processed; a later backward through them is a GraphError.
// With create_graph the backward formulas run with grad mode on, so the
// gradients are themselves recorded (Note [Differentiable backward]);
// retain_graph then defaults to true, as the new graph refers to the old.
// Thread safety: single-threaded; ops parallelise inside their kernels.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "framework/node.h"
#include "framework/tensor.h"

namespace xgrad {

// What a step-through callback sees as backward visits an op node: the node
// (op name, value, inputs), the gradient flowing into it, and the gradients
// its backward function returned (one per input, undefined where none).
struct BackwardStep {
  const Node& node;
  const Tensor& grad_out;
  const Grads& grad_inputs;
};
using StepCallback = std::function<void(const BackwardStep&)>;

struct BackwardOptions {
  bool retain_graph = false;
  bool create_graph = false;
  // Called for every op node backward visits, in the engine's order
  // (descending creation number); not called for leaves.
  StepCallback on_step;
};

// Backpropagates from `roots` with upstream gradients `grad_outputs` (one
// per root; may be empty, then every root must have one element and gets
// 1), accumulating into the grad() of the leaves (and retain_grad tensors).
// REQUIRES: every root requires grad; each upstream gradient has its root's
// shape and dtype (GraphError/ShapeError/DTypeError otherwise).
void backward(const std::vector<Tensor>& roots, const std::vector<Tensor>& grad_outputs = {},
              const BackwardOptions& options = {});

// The gradients of `outputs` (weighted by `grad_outputs`, as in backward)
// with respect to `inputs`, returned in input order; leaves' grad() is not
// touched (PyTorch's torch::autograd::grad). With create_graph the results
// are on the graph and can be differentiated again; retain_graph defaults
// to create_graph. An input that no output depends on is a GraphError
// unless allow_unused, which returns an undefined Tensor for it.
std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs = {},
                         std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
                         bool allow_unused = false);

}  // namespace xgrad
