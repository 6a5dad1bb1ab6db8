// Argument checks shared by the ops: defined tensors, floating-point
// dtypes, matching dtypes. Each throws before any kernel sees the data, with
// the op's name and the argument's name in the message (framework/error.h).
// Names are C strings: a check that passes builds no std::string (these run
// on every op, first-order gradients included).
#pragma once

#include <string>

#include "framework/tensor.h"

namespace xgrad {

// GraphError "<op>: <name> is an undefined tensor" if `t` is undefined.
void check_defined(const char* op, const Tensor& t, const char* name = "input");

// check_defined, then DTypeError "<op>: expected float32 or float64: <name> int64"
// unless `t` is floating-point.
void check_float(const char* op, const Tensor& t, const char* name = "input");

// check_float on both, then DTypeError "<op>: dtypes must match: lhs float32, rhs float64"
// unless a and b have the same dtype.
void check_same_dtype(const char* op, const Tensor& a, const Tensor& b,
                      const char* name_a = "lhs", const char* name_b = "rhs");

// The same, for names built at run time (layers: "Linear(784 -> 128)").
inline void check_defined(const std::string& op, const Tensor& t, const char* name = "input") {
  check_defined(op.c_str(), t, name);
}
inline void check_float(const std::string& op, const Tensor& t, const char* name = "input") {
  check_float(op.c_str(), t, name);
}
inline void check_same_dtype(const std::string& op, const Tensor& a, const Tensor& b,
                             const char* name_a = "lhs", const char* name_b = "rhs") {
  check_same_dtype(op.c_str(), a, b, name_a, name_b);
}

}  // namespace xgrad
