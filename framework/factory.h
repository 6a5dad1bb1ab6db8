// Making tensors: from values, constants and random draws.
//
//   Tensor x = tensor({{1.0, 2.0}, {3.0, 4.0}}, kFloat64);  // nested lists
//   Tensor w = randn({3, 2}, gen).requires_grad_();          // seeded
//   Tensor z = zeros({2, 3});                                 // float32
//
// Every function makes a leaf; pass requires_grad via `.requires_grad_()`.
#pragma once

#include <initializer_list>
#include <type_traits>
#include <xtensor/xarray.hpp>

#include "framework/generator.h"
#include "framework/tensor.h"

namespace xgrad {

Tensor zeros(const Shape& shape, DType dtype = kFloat32);
Tensor ones(const Shape& shape, DType dtype = kFloat32);
Tensor full(const Shape& shape, double value, DType dtype = kFloat32);
Tensor scalar(double value, DType dtype = kFloat32);
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);

// Seeded random tensors.
Tensor randn(const Shape& shape, Generator& gen, DType dtype = kFloat32);
Tensor rand(const Shape& shape, Generator& gen, DType dtype = kFloat32);  // U[0, 1)
Tensor uniform(const Shape& shape, double low, double high, Generator& gen, DType dtype = kFloat32);

// From xtensor containers (dtype follows the element type).
template <class T>
Tensor from_xarray(xt::xarray<T> values, bool requires_grad = false) {
  return Tensor(Array(std::move(values)), requires_grad);
}

namespace detail {
Tensor tensor_from_doubles(xt::xarray<double> values, DType dtype);
template <class T>
using List = std::initializer_list<T>;
template <class T, class Nested>
Tensor tensor_from_list(Nested values, DType dtype) {
  static_assert(std::is_arithmetic_v<T>, "tensor(): the elements must be numbers");
  return tensor_from_doubles(xt::xarray<double>(xt::xarray<T>(values)), dtype);
}
}  // namespace detail

// From nested initialiser lists, rank 0 to 4. The element type is a template
// parameter so that one-element inner lists, as in the column {{2.0}, {4.0}},
// are read at their full depth: overloads on double alone are ambiguous there
// (as xt::xarray's constructors are). All elements of one call share a type:
// write 1.0, not 1, beside 2.5.
Tensor tensor(double value, DType dtype = kFloat32);
template <class T>
Tensor tensor(detail::List<T> values, DType dtype = kFloat32) {
  return detail::tensor_from_list<T>(values, dtype);
}
template <class T>
Tensor tensor(detail::List<detail::List<T>> values, DType dtype = kFloat32) {
  return detail::tensor_from_list<T>(values, dtype);
}
template <class T>
Tensor tensor(detail::List<detail::List<detail::List<T>>> values, DType dtype = kFloat32) {
  return detail::tensor_from_list<T>(values, dtype);
}
template <class T>
Tensor tensor(detail::List<detail::List<detail::List<detail::List<T>>>> values,
              DType dtype = kFloat32) {
  return detail::tensor_from_list<T>(values, dtype);
}

}  // namespace xgrad
