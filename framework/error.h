// Errors: the one family of exceptions xgrad throws.
//
// Every error is always on (release builds included) and is thrown before any
// kernel or xtensor sees bad data. Messages follow one format so a reader can
// find the op and the offending shapes at a glance:
//   <op>: <rule>: <name> <shape>, <name> <shape>
//   e.g. "matmul: lhs columns must equal rhs rows: lhs (2, 3), rhs (4, 5)"
// Thread safety: the types are plain values; the helpers are pure functions.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

#include "framework/dtype.h"
#include "framework/shape.h"

namespace xgrad {

// Base of every xgrad error, so callers can catch the family in one place.
class Error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Shapes that the op cannot accept (mismatch, wrong rank, empty output).
class ShapeError : public Error {
 public:
  using Error::Error;
};

// Mixing float32 and float64 in one op, or an unsupported dtype.
class DTypeError : public Error {
 public:
  using Error::Error;
};

// Misuse of the autograd graph: backward through a freed graph, backward of
// a non-scalar without an upstream gradient, reading a gradient that does
// not exist.
class GraphError : public Error {
 public:
  using Error::Error;
};

// An argument outside its domain (negative probability, zero stride...).
class ValueError : public Error {
 public:
  using Error::Error;
};

// A file that cannot be read or written, or whose content is corrupt,
// truncated or does not match; the message names the file.
class FileError : public Error {
 public:
  using Error::Error;
};

// A NaN or infinity where finite numbers are required: anomaly mode's
// findings, a training loss or gradient that stopped being finite.
class NumericError : public Error {
 public:
  using Error::Error;
};

// "(2, 3)"; "()" for a scalar.
std::string format_shape(const Shape& shape);

// Throws ShapeError "<op>: <rule>: <name_a> <shape_a>, <name_b> <shape_b>".
[[noreturn]] void throw_shape_error(const std::string& op, const std::string& rule,
                                    const std::string& name_a, const Shape& a,
                                    const std::string& name_b, const Shape& b);

// Throws ShapeError "<op>: <rule>: <name> <shape>".
[[noreturn]] void throw_shape_error(const std::string& op, const std::string& rule,
                                    const std::string& name, const Shape& shape);

// Throws DTypeError "<op>: <rule>: <name_a> <dtype_a>, <name_b> <dtype_b>",
// e.g. "add: dtypes must match: lhs float32, rhs float64".
[[noreturn]] void throw_dtype_error(const std::string& op, const std::string& rule,
                                    const std::string& name_a, DType a, const std::string& name_b,
                                    DType b);

// Throws DTypeError "<op>: <rule>: <name> <dtype>",
// e.g. "relu: expected float32 or float64: input int64".
[[noreturn]] void throw_dtype_error(const std::string& op, const std::string& rule,
                                    const std::string& name, DType dtype);

// Throws ValueError "<op>: <message>", e.g. "dropout: p must be in [0, 1], got 1.5".
[[noreturn]] void throw_value_error(const std::string& op, const std::string& message);

}  // namespace xgrad
