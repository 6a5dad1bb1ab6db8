#include "framework/array.h"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <xtensor/xio.hpp>

#include "framework/malloc_tuning.h"

namespace xgrad {

namespace {
const Shape kNoShape{};
// Every program that uses xgrad links this file: malloc is tuned when the library loads,
// before the first op allocates (Note [Keeping freed memory] in framework/malloc_tuning.h).
[[maybe_unused]] const char* const kMallocTuning = malloc_tuning();
}  // namespace

Array Array::empty(const Shape& shape, DType dtype) {
  Array a;
  dispatch_any(dtype, [&](auto tag) {
    using T = decltype(tag);
    a.v_.template emplace<xt::xarray<T>>(shape);  // built in place: no move of its shape
  });
  return a;
}

Array Array::zeros(const Shape& shape, DType dtype) { return full(shape, 0.0, dtype); }

Array Array::full(const Shape& shape, double value, DType dtype) {
  Array a = empty(shape, dtype);
  a.fill_(value);
  return a;
}

void Array::throw_undefined(const char* what) { throw GraphError(std::string("Array: ") + what); }

const Shape& Array::no_shape() { return kNoShape; }

void Array::dtype_mismatch(DType wanted) const {
  if (!defined()) throw_undefined("access to an undefined array");
  throw_dtype_error("Array", "accessed as another dtype", "array", dtype(), "as", wanted);
}

double Array::item() const {
  if (size() != 1) {
    throw_shape_error("item", "only a one-element array has an item", "array", shape());
  }
  return at(0);
}

std::size_t Array::checked_flat(const char* what, std::size_t i) const {
  if (i >= size()) {
    throw_shape_error(what, "flat index " + std::to_string(i) + " is out of range", "array",
                      shape());
  }
  return i;
}

std::size_t Array::checked_flat(const char* what, const std::vector<std::size_t>& index) const {
  const Shape& s = shape();
  bool ok = index.size() == s.size();
  std::size_t flat = 0;
  for (std::size_t d = 0; ok && d < s.size(); ++d) {
    ok = index[d] < s[d];
    flat = flat * s[d] + index[d];
  }
  if (!ok) {
    throw_shape_error(what, "index out of range", "array", s, "index",
                      Shape(index.begin(), index.end()));
  }
  return flat;
}

double Array::at(std::size_t i) const {
  checked_flat("Array::at", i);
  return dispatch_any(dtype(), [&](auto tag) { return double(data<decltype(tag)>()[i]); });
}

double Array::at(const std::vector<std::size_t>& index) const {
  const std::size_t i = checked_flat("Array::at", index);
  return dispatch_any(dtype(), [&](auto tag) { return double(data<decltype(tag)>()[i]); });
}

void Array::set(std::size_t i, double value) {
  checked_flat("Array::set", i);
  dispatch_any(dtype(), [&](auto tag) {
    using T = decltype(tag);
    data<T>()[i] = T(value);
  });
}

void Array::set(const std::vector<std::size_t>& index, double value) {
  const std::size_t i = checked_flat("Array::set", index);
  dispatch_any(dtype(), [&](auto tag) {
    using T = decltype(tag);
    data<T>()[i] = T(value);
  });
}

Array Array::to(DType target) const {
  return dispatch_any(dtype(), [&](auto src_tag) {
    using S = decltype(src_tag);
    return dispatch_any(target, [&](auto dst_tag) {
      using D = decltype(dst_tag);
      xt::xarray<D> out = xt::xarray<D>::from_shape(shape());
      const S* src = data<S>();
      D* dst = out.data();
      for (std::size_t i = 0, n = size(); i < n; ++i) dst[i] = static_cast<D>(src[i]);
      return Array(std::move(out));
    });
  });
}

Array Array::reshaped(const Shape& new_shape) const {
  if (shape_size(new_shape) != size()) {
    throw_shape_error("reshape", "sizes must match", "array", shape(), "target", new_shape);
  }
  Array out = empty(new_shape, dtype());
  dispatch_any(dtype(), [&](auto tag) {
    using T = decltype(tag);
    std::copy_n(data<T>(), size(), out.data<T>());
  });
  return out;
}

void Array::add_(const Array& other) {
  if (other.shape() != shape()) {
    throw_shape_error("add_", "shapes must match", "self", shape(), "other", other.shape());
  }
  dispatch(dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* dst = data<T>();
    const T* src = other.data<T>();
    for (std::size_t i = 0, n = size(); i < n; ++i) dst[i] += src[i];
  });
}

void Array::fill_(double value) {
  dispatch_any(dtype(), [&](auto tag) {
    using T = decltype(tag);
    std::fill_n(data<T>(), size(), T(value));
  });
}

std::ostream& operator<<(std::ostream& os, const Array& a) {
  if (!a.defined()) return os << "Array(undefined)";
  os << "Array(shape=" << format_shape(a.shape()) << ", dtype=" << dtype_name(a.dtype()) << ")\n";
  print_values(os, a);
  return os;
}

void print_values(std::ostream& os, const Array& a) {
  dispatch_any(a.dtype(), [&](auto tag) { os << a.get<decltype(tag)>(); });
}

double max_abs_diff(const Array& a, const Array& b) {
  if (a.shape() != b.shape()) {
    throw_shape_error("max_abs_diff", "shapes must match", "a", a.shape(), "b", b.shape());
  }
  double worst = 0;
  for (std::size_t i = 0, n = a.size(); i < n; ++i) {
    const double d = std::abs(a.at(i) - b.at(i));
    if (std::isnan(d)) return d;
    worst = std::max(worst, d);
  }
  return worst;
}

}  // namespace xgrad
