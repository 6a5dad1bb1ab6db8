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

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "framework/checks.h"
#include "framework/node.h"
#include "framework/tensor.h"

namespace xgrad {

namespace detail {
// The node holding an op's result. It records (sets `recording`) when grad
// mode is on, the value is floating-point and an input requires grad; the
// caller then stores the backward function and calls finish_record.
NodePtr make_result(const char* op, Array value, const Tensor* inputs, std::size_t n,
                    bool& recording);
// A copy of `name` that lives as long as the process (one per distinct
// name), for op names built at run time.
const char* intern_op_name(const std::string& name);
void finish_record(Node& node);
}  // namespace detail

// The backward function is a template parameter so that nothing is
// allocated for it when the op does not record (inference, or a gradient
// computed without create_graph).
// `op` is a literal (or any string with static storage); a std::string name
// is interned first.
template <class F>
Tensor record(const char* op, Array value, std::initializer_list<Tensor> inputs, F&& backward) {
  bool recording = false;
  NodePtr node = detail::make_result(op, std::move(value), inputs.begin(), inputs.size(), recording);
  if (recording) {
    node->backward = BackwardFn(std::forward<F>(backward));
    detail::finish_record(*node);
  }
  return Tensor(std::move(node));
}

template <class F>
Tensor record(const char* op, Array value, const std::vector<Tensor>& inputs, F&& backward) {
  bool recording = false;
  NodePtr node = detail::make_result(op, std::move(value), inputs.data(), inputs.size(), recording);
  if (recording) {
    node->backward = BackwardFn(std::forward<F>(backward));
    detail::finish_record(*node);
  }
  return Tensor(std::move(node));
}

template <class F>
Tensor record(const std::string& op, Array value, std::initializer_list<Tensor> inputs,
              F&& backward) {
  return record(detail::intern_op_name(op), std::move(value), inputs, std::forward<F>(backward));
}

template <class F>
Tensor record(const std::string& op, Array value, const std::vector<Tensor>& inputs,
              F&& backward) {
  return record(detail::intern_op_name(op), std::move(value), inputs, std::forward<F>(backward));
}

// A function written with differentiable ops, for record_fused.
using CompositeFn = std::function<Tensor(const std::vector<Tensor>& inputs)>;

// An op whose value comes from a fused kernel and whose derivatives are
// those of `composite`, the same function written with ops (Note [Fused
// ops]): the kernel is the fast path, the composite defines the gradient,
// to any order. What the fused gradient ops of the losses are made of; a
// user's fused kernel gets its gradients the same way. gradcheck compares
// the two definitions (a kernel that disagrees with its composite fails it).
Tensor record_fused(const char* op, Array value, std::vector<Tensor> inputs,
                    CompositeFn composite);

// The identity as a recorded op: a copy of x whose gradient passes through.
Tensor identity(const Tensor& x);

// For tests: while collecting, record() notes every op name it is given
// (the test suite checks that each is in op_db). Off by default; off, it
// costs one atomic load per op. Thread-safe.
void collect_op_names(bool on);
std::vector<std::string> recorded_op_names();

}  // namespace xgrad
