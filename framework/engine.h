// The backward engine: reverse-mode autodiff over the recorded graph.
//
// Order (Note [Backward order]): the nodes reachable from the root that
// require grad are collected with an explicit stack (no recursion), then
// sorted by descending creation number; every input is older than its
// consumer, so a node's gradient is complete when it is reached. Each
// backward function's gradients are checked (count, shape, dtype) before
// they are accumulated into the inputs.
// Without retain_graph each node's backward function and input edges are
// dropped once processed; a later backward through them is a GraphError.
// Thread safety: single-threaded; ops parallelise inside their kernels.
#pragma once

#include "framework/tensor.h"

namespace xgrad {

// REQUIRES: root requires grad; grad_out (if given) has root's shape and dtype.
void run_backward(const Tensor& root, const Array* grad_out, bool retain_graph);

}  // namespace xgrad
