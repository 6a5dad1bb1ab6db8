#include "framework/factory.h"

#include <algorithm>

namespace xgrad {

Tensor zeros(const Shape& shape, DType dtype) { return Tensor(Array::zeros(shape, dtype)); }
Tensor ones(const Shape& shape, DType dtype) { return Tensor(Array::full(shape, 1.0, dtype)); }
Tensor full(const Shape& shape, double value, DType dtype) {
  return Tensor(Array::full(shape, value, dtype));
}
Tensor scalar(double value, DType dtype) { return Tensor(Array::scalar(value, dtype)); }
Tensor zeros_like(const Tensor& t) { return zeros(t.shape(), t.dtype()); }
Tensor ones_like(const Tensor& t) { return ones(t.shape(), t.dtype()); }

Tensor randn(const Shape& shape, Generator& gen, DType dtype) {
  return Tensor(gen.normal(shape, 0.0, 1.0, dtype));
}
Tensor rand(const Shape& shape, Generator& gen, DType dtype) {
  return Tensor(gen.uniform(shape, 0.0, 1.0, dtype));
}
Tensor uniform(const Shape& shape, double low, double high, Generator& gen, DType dtype) {
  return Tensor(gen.uniform(shape, low, high, dtype));
}

namespace {
template <class S>
Tensor from_data(std::vector<S> data, const Shape& shape, DType dtype) {
  if (shape_size(shape) != data.size()) {
    throw_shape_error("tensor", std::to_string(data.size()) + " values do not fill the shape",
                      "shape", shape);
  }
  Array a = Array::empty(shape, dtype_of<S>());
  std::copy(data.begin(), data.end(), a.data<S>());
  return Tensor(dtype == dtype_of<S>() ? std::move(a) : a.to(dtype));
}
}  // namespace

Tensor detail::tensor_from_data(std::vector<double> data, const Shape& shape, DType dtype) {
  return from_data(std::move(data), shape, dtype);
}

Tensor detail::tensor_from_data(std::vector<std::int64_t> data, const Shape& shape, DType dtype) {
  return from_data(std::move(data), shape, dtype);
}

Tensor tensor(double value, DType dtype) { return scalar(value, dtype); }

}  // namespace xgrad
