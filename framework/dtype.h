// DType: the two floating-point precisions xgrad computes in.
//
// Training runs in float32; gradient checks and the lecture tests run in
// float64 (they compare to 1e-10, which float32 cannot show). Kernels are
// written once as templates on the scalar type; `dispatch` picks the
// instantiation from a runtime dtype.
#pragma once

#include <string>
#include <type_traits>
#include <utility>

namespace xgrad {

enum class DType { kFloat32, kFloat64 };

inline constexpr DType kFloat32 = DType::kFloat32;
inline constexpr DType kFloat64 = DType::kFloat64;

inline const char* dtype_name(DType dtype) {
  return dtype == DType::kFloat32 ? "float32" : "float64";
}

template <class T>
constexpr DType dtype_of() {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>,
                "xgrad computes in float or double");
  return std::is_same_v<T, float> ? DType::kFloat32 : DType::kFloat64;
}

// Calls f(float{}) or f(double{}) for the dtype; inside a generic lambda,
// `using T = decltype(tag);` names the scalar type.
template <class F>
decltype(auto) dispatch(DType dtype, F&& f) {
  if (dtype == DType::kFloat32) return std::forward<F>(f)(float{});
  return std::forward<F>(f)(double{});
}

}  // namespace xgrad
