// Small helpers shared by the tests of the ops of issue 11: element checks,
// gradients of one call, and the 1-thread vs 2-thread comparison.
#pragma once

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <functional>
#include <vector>

#include "framework/array.h"
#include "framework/engine.h"
#include "framework/parallel.h"
#include "framework/tensor.h"

namespace xgrad::testing {

// Every element of `a` within `tol` of `expected` (NaN matches NaN).
inline void check_close(const Array& a, const std::vector<double>& expected, double tol = 1e-12) {
  BOOST_TEST_REQUIRE(a.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    BOOST_TEST_INFO("element " << i << ": " << a.at(i) << " vs " << expected[i]);
    if (std::isnan(expected[i])) {
      BOOST_TEST(std::isnan(a.at(i)));
    } else if (std::isinf(expected[i])) {
      BOOST_TEST(a.at(i) == expected[i]);
    } else {
      BOOST_TEST(std::abs(a.at(i) - expected[i]) <= tol * std::max(1.0, std::abs(expected[i])));
    }
  }
}

// 1, 2, 3, ... in the given shape.
inline Array iota(const Shape& shape, DType dtype = kFloat64) {
  Array a = Array::empty(shape, dtype);
  for (std::size_t i = 0; i < a.size(); ++i) a.set(i, double(i) + 1);
  return a;
}

// f(0), f(1), ... in the given shape, float64 (PyTorch's
// torch.arange(n).reshape(shape) mapped by f): inputs a reference program can rebuild.
template <class F>
Tensor from_index(const Shape& shape, F f, double scale = 1, double shift = 0) {
  Array a = Array::empty(shape, kFloat64);
  for (std::size_t i = 0; i < a.size(); ++i) a.set(i, f(double(i)) * scale + shift);
  return Tensor(std::move(a));
}
inline double sin_of(double v) { return std::sin(v); }
inline double cos_of(double v) { return std::cos(v); }

// f's result computed on 1 thread and on 2: they must be bit-identical.
inline void check_same_for_threads(const std::function<Array()>& f) {
  Array one, two;
  {
    ThreadLimit limit(1);
    one = f();
  }
  {
    ThreadLimit limit(2);
    two = f();
  }
  BOOST_TEST_REQUIRE(one.shape() == two.shape());
  BOOST_TEST(max_abs_diff(one, two) == 0.0);
}

// The gradients of sum(u * f(inputs)) with respect to the floating-point
// inputs (fresh leaves), in order.
inline std::vector<Array> grads_of(const std::function<Tensor(const std::vector<Tensor>&)>& f,
                                   const std::vector<Tensor>& inputs, const Array& u) {
  std::vector<Tensor> leaves, wanted;
  for (const Tensor& t : inputs) {
    leaves.emplace_back(t.value(), is_floating(t.dtype()));
    if (is_floating(t.dtype())) wanted.push_back(leaves.back());
  }
  Tensor y = f(leaves);
  std::vector<Tensor> g = grad({y}, wanted, {Tensor(u)}, std::nullopt, false, true);
  std::vector<Array> out;  // undefined (no gradient) as an undefined Array
  for (const Tensor& t : g) out.push_back(t.defined() ? t.value() : Array());
  return out;
}

// PyTorch's arange(24).reshape(2, 3, 4) / 7 in float64: a reduction test input
// whose values are all distinct.
inline Tensor ramp() {
  Array a = Array::empty({2, 3, 4}, kFloat64);
  for (std::size_t i = 0; i < 24; ++i) a.set(i, double(i) / 7.0);
  return Tensor(std::move(a));
}

}  // namespace xgrad::testing
