// DType: the element types xgrad computes in.
//
// Training runs in float32; gradient checks and the lecture tests run in
// float64 (they compare to 1e-10, which float32 cannot show). int64 holds
// class labels and indices: it is never differentiated (an int64 tensor
// cannot require grad) and only the ops that take labels or indices, and
// the ops that copy data (reshape, slice, concat, ...), accept it.
// Kernels are written once as templates on the scalar type: `dispatch` picks
// the floating-point instantiation from a runtime dtype, `dispatch_any`
// includes int64.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>

namespace xgrad {

enum class DType { kFloat32, kFloat64, kInt64 };

inline constexpr DType kFloat32 = DType::kFloat32;
inline constexpr DType kFloat64 = DType::kFloat64;
inline constexpr DType kInt64 = DType::kInt64;

inline const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::kFloat32:
      return "float32";
    case DType::kFloat64:
      return "float64";
    default:
      return "int64";
  }
}

inline constexpr bool is_floating(DType dtype) { return dtype != DType::kInt64; }

template <class T>
constexpr DType dtype_of() {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double> ||
                    std::is_same_v<T, std::int64_t>,
                "xgrad stores float, double or int64_t");
  if constexpr (std::is_same_v<T, float>) return DType::kFloat32;
  if constexpr (std::is_same_v<T, double>) return DType::kFloat64;
  return DType::kInt64;
}

// Throws DTypeError "<what>: expected float32 or float64, got int64".
[[noreturn]] void throw_not_floating(const char* what, DType dtype);

// Calls f(float{}) or f(double{}) for the dtype; inside a generic lambda,
// `using T = decltype(tag);` names the scalar type. int64 is a DTypeError
// (ops check their dtypes first, with their own name in the message).
template <class F>
decltype(auto) dispatch(DType dtype, F&& f) {
  if (dtype == DType::kFloat32) return std::forward<F>(f)(float{});
  if (dtype != DType::kFloat64) throw_not_floating("dispatch", dtype);
  return std::forward<F>(f)(double{});
}

// As dispatch, with int64 too: for kernels that copy or compare elements.
template <class F>
decltype(auto) dispatch_any(DType dtype, F&& f) {
  if (dtype == DType::kFloat32) return std::forward<F>(f)(float{});
  if (dtype == DType::kFloat64) return std::forward<F>(f)(double{});
  return std::forward<F>(f)(std::int64_t{});
}

}  // namespace xgrad
