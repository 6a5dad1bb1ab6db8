#include "framework/checks.h"

namespace xgrad {

void check_defined(const char* op, const Tensor& t, const char* name) {
  if (!t.defined()) throw GraphError(std::string(op) + ": " + name + " is an undefined tensor");
}

void check_float(const char* op, const Tensor& t, const char* name) {
  check_defined(op, t, name);
  if (!is_floating(t.dtype())) {
    throw_dtype_error(op, "expected float32 or float64", name, t.dtype());
  }
}

void check_same_dtype(const char* op, const Tensor& a, const Tensor& b, const char* name_a,
                      const char* name_b) {
  check_float(op, a, name_a);
  check_float(op, b, name_b);
  if (a.dtype() != b.dtype()) throw_dtype_error(op, "dtypes must match", name_a, a.dtype(), name_b, b.dtype());
}

}  // namespace xgrad
