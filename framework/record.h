// record: how an op puts its result on the graph.
//
//   Tensor sigmoid(const Tensor& x) {
//     Array y = ...forward kernel...;
//     return record("sigmoid", std::move(y), {x}, [](const Node& out, const Array& dy) {
//       return Grads{...dx from out.value (y) and dy...};
//     });
//   }
//
// If grad mode is on and any input requires grad, the result is a new
// interior node owning its inputs and the backward function; otherwise it is
// a plain leaf and the backward function is dropped. User-defined ops call
// record exactly like built-in ones.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "framework/node.h"
#include "framework/tensor.h"

namespace xgrad {

Tensor record(std::string op, Array value, std::initializer_list<Tensor> inputs,
              BackwardFn backward);
Tensor record(std::string op, Array value, const std::vector<Tensor>& inputs, BackwardFn backward);

// Throws DTypeError "<op>: dtypes must match: lhs float32, rhs float64"
// unless a and b have the same dtype (and GraphError if either is undefined).
void check_same_dtype(const std::string& op, const Tensor& a, const Tensor& b,
                      const char* name_a = "lhs", const char* name_b = "rhs");

// Throws GraphError "<op>: <name> is an undefined tensor" if `t` is undefined.
void check_defined(const std::string& op, const Tensor& t, const char* name);

}  // namespace xgrad
