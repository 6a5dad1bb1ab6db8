// Array: plain n-dimensional data in float32, float64 or int64, no autograd.
//
// Owns an xtensor container (row-major `xt::xarray<T>`); copying an Array
// copies its data, moving it does not. A default-constructed Array is
// "undefined" (no dtype, no data): the engine uses it for "no gradient".
// Kernels get at the data with `data<T>()` (raw, contiguous) or
// `get<T>()` (the xtensor container); both REQUIRE the matching dtype.
// Thread safety: like any value type; concurrent reads are fine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>
#include <xtensor/xarray.hpp>

#include "framework/dtype.h"
#include "framework/error.h"
#include "framework/shape.h"

namespace xgrad {

static_assert(int(DType::kFloat32) == 0 && int(DType::kFloat64) == 1 && int(DType::kInt64) == 2,
              "Array's variant holds DType(k) as alternative k + 1");

class Array {
 public:
  Array() = default;
  template <class T,
            class = std::enable_if_t<std::is_same_v<T, float> || std::is_same_v<T, double> ||
                                     std::is_same_v<T, std::int64_t>>>
  explicit Array(xt::xarray<T> values) : v_(std::move(values)) {}

  // Uninitialised data of the given shape (every element must be written).
  static Array empty(const Shape& shape, DType dtype);
  static Array zeros(const Shape& shape, DType dtype);
  static Array full(const Shape& shape, double value, DType dtype);
  static Array scalar(double value, DType dtype) { return full({}, value, dtype); }

  // The accessors below are inline: every op calls them several times, and
  // out of line they were a few percent of a small network's step.
  bool defined() const { return v_.index() != 0; }
  DType dtype() const {
    if (!defined()) throw_undefined("dtype of an undefined array");
    return DType(v_.index() - 1);  // the variant's alternatives follow DType's order
  }
  const Shape& shape() const {
    if (auto* f = std::get_if<xt::xarray<float>>(&v_)) return f->shape();
    if (auto* d = std::get_if<xt::xarray<double>>(&v_)) return d->shape();
    if (auto* i = std::get_if<xt::xarray<std::int64_t>>(&v_)) return i->shape();
    return no_shape();
  }
  std::size_t dim() const { return shape().size(); }
  std::size_t size() const { return defined() ? shape_size(shape()) : 0; }

  template <class T>
  xt::xarray<T>& get() {
    check_dtype(dtype_of<T>());
    return std::get<xt::xarray<T>>(v_);
  }
  template <class T>
  const xt::xarray<T>& get() const {
    check_dtype(dtype_of<T>());
    return std::get<xt::xarray<T>>(v_);
  }
  template <class T>
  T* data() {
    return get<T>().data();
  }
  template <class T>
  const T* data() const {
    return get<T>().data();
  }

  // The single element of a one-element array, as double.
  double item() const;
  // Element at a flat (row-major) index, as double; for checks and tests.
  // Bounds-checked: an index past the end is a ShapeError. Kernels read
  // through data<T>() instead.
  double at(std::size_t flat_index) const;
  // Element at a multi-index (one index per dimension), bounds-checked.
  double at(const std::vector<std::size_t>& index) const;
  void set(std::size_t flat_index, double value);
  void set(const std::vector<std::size_t>& index, double value);

  // A copy converted to `dtype` (a plain copy when it already matches).
  Array to(DType dtype) const;
  // A copy with a new shape of the same size.
  Array reshaped(const Shape& shape) const;
  // In place: this += other (same shape and dtype); used to accumulate gradients.
  void add_(const Array& other);
  void fill_(double value);

 private:
  void check_dtype(DType wanted) const {
    if (v_.index() != std::size_t(wanted) + 1) dtype_mismatch(wanted);
  }
  [[noreturn]] void dtype_mismatch(DType wanted) const;
  [[noreturn]] static void throw_undefined(const char* what);
  static const Shape& no_shape();
  std::size_t checked_flat(const char* what, std::size_t flat_index) const;
  std::size_t checked_flat(const char* what, const std::vector<std::size_t>& index) const;
  // Alternative k + 1 holds DType(k) (dtype() and check_dtype rely on it).
  std::variant<std::monostate, xt::xarray<float>, xt::xarray<double>, xt::xarray<std::int64_t>> v_;
};

// Prints shape, dtype and values.
std::ostream& operator<<(std::ostream& os, const Array& a);
// Prints the values only, as nested brackets.
void print_values(std::ostream& os, const Array& a);

// Largest |a - b| over all elements (NaN if either holds a NaN where the
// other differs); ShapeError unless the shapes are equal.
double max_abs_diff(const Array& a, const Array& b);

}  // namespace xgrad
