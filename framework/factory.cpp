#include "framework/factory.h"

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

Tensor detail::tensor_from_doubles(xt::xarray<double> values, DType dtype) {
  Array a(std::move(values));
  return Tensor(dtype == kFloat64 ? std::move(a) : a.to(dtype));
}

Tensor tensor(double value, DType dtype) { return scalar(value, dtype); }

}  // namespace xgrad
