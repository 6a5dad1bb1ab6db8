// record: how an op puts its result on the graph.
//
//   Tensor sigmoid(const Tensor& x) {
//     Array y = ...forward kernel...;
//     return record("sigmoid", std::move(y), {x}, [](const Node& out, const Tensor& dy) {
//       return Grads{sigmoid_backward(out.output(), dy)};   // written with ops
//     });
//   }
//
// If grad mode is on and any input requires grad, the result is a new
// interior node owning its inputs and the backward function; otherwise it is
// a plain leaf and the backward function is dropped. A floating-point result
// only: an int64 result (argmax, labels) never requires grad. User-defined
// ops call record exactly like built-in ones; their backward is
// differentiable to the extent it is written with ops (Note [Differentiable
// backward] in framework/node.h).
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "framework/checks.h"
#include "framework/node.h"
#include "framework/tensor.h"

namespace xgrad {

Tensor record(std::string op, Array value, std::initializer_list<Tensor> inputs,
              BackwardFn backward);
Tensor record(std::string op, Array value, const std::vector<Tensor>& inputs, BackwardFn backward);

// For tests: while collecting, record() notes every op name it is given
// (the test suite checks that each is in op_db). Off by default; off, it
// costs one atomic load per op. Thread-safe.
void collect_op_names(bool on);
std::vector<std::string> recorded_op_names();

}  // namespace xgrad
