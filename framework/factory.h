// Making tensors: from values, constants and random draws.
//
//   Tensor x = tensor({{1.0, 2.0}, {3.0, 4.0}}, kFloat64);  // nested lists
//   Tensor w = randn({3, 2}, gen).requires_grad_();          // seeded
//   Tensor z = zeros({2, 3});                                 // float32
//
// Every function makes a leaf; pass requires_grad via `.requires_grad_()`.
#pragma once

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

// From nested initialiser lists, rank 0 to 4.
Tensor tensor(double value, DType dtype = kFloat32);
Tensor tensor(xt::nested_initializer_list_t<double, 1> values, DType dtype = kFloat32);
Tensor tensor(xt::nested_initializer_list_t<double, 2> values, DType dtype = kFloat32);
Tensor tensor(xt::nested_initializer_list_t<double, 3> values, DType dtype = kFloat32);
Tensor tensor(xt::nested_initializer_list_t<double, 4> values, DType dtype = kFloat32);

}  // namespace xgrad
