// Making tensors: from values, constants and random draws.
//
//   Tensor x = tensor({{1.0, 2.0}, {3.0, 4.0}}, kFloat64);  // nested lists
//   Tensor w = randn({3, 2}, gen).requires_grad_();          // seeded
//   Tensor z = zeros({2, 3});                                 // float32
//   Tensor y = tensor({3, 0, 2});                              // int64 labels
//   Tensor v = tensor(std::vector<float>(6, 1.0f), {2, 3});    // from C++ data
//
// Every function makes a leaf; pass requires_grad via `.requires_grad_()`.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <vector>

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

namespace detail {
template <class T>
using List = std::initializer_list<T>;

// int64 for integer elements (as PyTorch), float32 otherwise.
template <class T>
constexpr DType default_dtype() {
  return std::is_integral_v<T> ? kInt64 : kFloat32;
}

// Appends the elements of a nested list in row-major order, setting
// shape[depth] from the first list met at each depth and checking every
// later one against it (a ragged list is a ShapeError, not an overflow).
template <class S, class T>
void flatten_list(const T& value, std::size_t, Shape&, std::vector<S>& out) {
  static_assert(std::is_arithmetic_v<T>, "tensor(): the elements must be numbers");
  out.push_back(static_cast<S>(value));
}
template <class S, class T>
void flatten_list(List<T> list, std::size_t depth, Shape& shape, std::vector<S>& out) {
  if (shape[depth] == Shape::value_type(-1)) {
    shape[depth] = list.size();
  } else if (shape[depth] != list.size()) {
    throw ShapeError("tensor: nested lists must be rectangular: along dimension " +
                     std::to_string(depth) + " a list of " + std::to_string(list.size()) +
                     " elements follows one of " + std::to_string(shape[depth]));
  }
  for (const T& e : list) flatten_list(e, depth + 1, shape, out);
}

template <class T>
struct Depth {
  static constexpr std::size_t value = 0;
};
template <class T>
struct Depth<List<T>> {
  static constexpr std::size_t value = 1 + Depth<T>::value;
};

Tensor tensor_from_data(std::vector<double> data, const Shape& shape, DType dtype);
Tensor tensor_from_data(std::vector<std::int64_t> data, const Shape& shape, DType dtype);

template <class T, class Nested>
Tensor tensor_from_list(const Nested& values, std::size_t depth, DType dtype) {
  using S = std::conditional_t<std::is_integral_v<T>, std::int64_t, double>;
  Shape shape(depth, Shape::value_type(-1));
  std::vector<S> data;
  flatten_list(values, 0, shape, data);
  for (auto& d : shape) {
    if (d == Shape::value_type(-1)) d = 0;  // below an empty list
  }
  return tensor_from_data(std::move(data), shape, dtype);
}
}  // namespace detail

// From nested initialiser lists, rank 0 to 4. The element type is a template
// parameter so that one-element inner lists, as in the column {{2.0}, {4.0}},
// are read at their full depth: overloads on double alone are ambiguous there
// (as xt::xarray's constructors are). All elements of one call share a type:
// write 1.0, not 1, beside 2.5. Integer elements make int64 tensors (as
// PyTorch) unless a dtype is given. Ragged lists are a ShapeError.
Tensor tensor(double value, DType dtype = kFloat32);
template <class T>
Tensor tensor(detail::List<T> values, DType dtype = detail::default_dtype<T>()) {
  return detail::tensor_from_list<T>(values, 1, dtype);
}
template <class T>
Tensor tensor(detail::List<detail::List<T>> values, DType dtype = detail::default_dtype<T>()) {
  return detail::tensor_from_list<T>(values, 2, dtype);
}
template <class T>
Tensor tensor(detail::List<detail::List<detail::List<T>>> values,
              DType dtype = detail::default_dtype<T>()) {
  return detail::tensor_from_list<T>(values, 3, dtype);
}
template <class T>
Tensor tensor(detail::List<detail::List<detail::List<detail::List<T>>>> values,
              DType dtype = detail::default_dtype<T>()) {
  return detail::tensor_from_list<T>(values, 4, dtype);
}

// From flat row-major data and a shape: tensor(std::vector<float>{...}, {2, 3}).
// ShapeError unless the sizes match.
template <class T>
Tensor tensor(const std::vector<T>& data, const Shape& shape,
              DType dtype = detail::default_dtype<T>()) {
  static_assert(std::is_arithmetic_v<T>, "tensor(): the elements must be numbers");
  using S = std::conditional_t<std::is_integral_v<T>, std::int64_t, double>;
  return detail::tensor_from_data(std::vector<S>(data.begin(), data.end()), shape, dtype);
}

}  // namespace xgrad
