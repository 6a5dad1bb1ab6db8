#include "framework/error.h"

namespace xgrad {

std::string format_shape(const Shape& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + ")";
}

void throw_shape_error(const std::string& op, const std::string& rule, const std::string& name_a,
                       const Shape& a, const std::string& name_b, const Shape& b) {
  throw ShapeError(op + ": " + rule + ": " + name_a + " " + format_shape(a) + ", " + name_b + " " +
                   format_shape(b));
}

void throw_shape_error(const std::string& op, const std::string& rule, const std::string& name,
                       const Shape& shape) {
  throw ShapeError(op + ": " + rule + ": " + name + " " + format_shape(shape));
}

void throw_dtype_error(const std::string& op, const std::string& rule, const std::string& name_a,
                       DType a, const std::string& name_b, DType b) {
  throw DTypeError(op + ": " + rule + ": " + name_a + " " + dtype_name(a) + ", " + name_b + " " +
                   dtype_name(b));
}

void throw_dtype_error(const std::string& op, const std::string& rule, const std::string& name,
                       DType dtype) {
  throw DTypeError(op + ": " + rule + ": " + name + " " + dtype_name(dtype));
}

void throw_value_error(const std::string& op, const std::string& message) {
  throw ValueError(op + ": " + message);
}

void throw_not_floating(const char* what, DType dtype) {
  throw_dtype_error(what, "expected float32 or float64", "got", dtype);
}

}  // namespace xgrad
