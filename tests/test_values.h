// Value checks shared by the test suites (Boost.Test), beside the message
// checks of tests/test_messages.h. A failure names the first element that
// differs by its multi-index, with both values, and how many differ.
//
//   check_values(y.value(), {1, 2, 3});          every element equal (exact)
//   check_values(y.value(), {1, 2, 3}, 1e-12);   |actual − expected| <= tol, elementwise
//   check_values(y.value(), want, 1e-12);        against an Array: shapes must match too
//   check_relative(y.value(), {...}, 1e-5);      max |a − e| <= tol · max(1, max |e|)
//   BOOST_TEST(same_bits(a, b));                 same shape, dtype and bits
//   check_same_arrays(state_a, state_b);         same names in order, each same_bits
//
// Expected values come from an independent computation (a hand formula, a
// closed form, a reference loop), never from the code under test.
#pragma once

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "framework/array.h"
#include "framework/error.h"
#include "framework/named_arrays.h"
#include "framework/shape.h"

namespace xgrad::testing {

namespace values_detail {
// Checks |actual(i) − expected(i)| <= tol for every i and reports the first miss.
template <class Expected>
void check_each(const Array& actual, std::size_t n, Expected expected, double tol) {
  BOOST_TEST_REQUIRE(actual.size() == n, "element count: actual " << format_shape(actual.shape())
                                                                  << " holds " << actual.size()
                                                                  << ", expected " << n);
  std::size_t misses = 0, first = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!(std::abs(actual.at(i) - expected(i)) <= tol)) {
      if (misses++ == 0) first = i;
    }
  }
  BOOST_TEST(misses == 0u, misses << " of " << n << " elements differ by more than " << tol
                                  << "; first at " << format_index(actual.shape(), first) << ": "
                                  << (n ? actual.at(first) : 0.0) << " vs expected "
                                  << (n ? expected(first) : 0.0));
}
}  // namespace values_detail

inline void check_values(const Array& actual, const std::vector<double>& expected, double tol = 0) {
  values_detail::check_each(
      actual, expected.size(), [&](std::size_t i) { return expected[i]; }, tol);
}

inline void check_values(const Array& actual, const Array& expected, double tol = 0) {
  BOOST_TEST_REQUIRE(actual.shape() == expected.shape(),
                     "shape: actual " << format_shape(actual.shape()) << ", expected "
                                      << format_shape(expected.shape()));
  values_detail::check_each(
      actual, expected.size(), [&](std::size_t i) { return expected.at(i); }, tol);
}

// max |a − e| <= tol · max(1, max |e|): for results whose size grows with the data.
inline void check_relative(const Array& actual, const std::vector<double>& expected, double tol) {
  double scale = 1;
  for (double e : expected) scale = std::max(scale, std::abs(e));
  check_values(actual, expected, tol * scale);
}

// Same shape, dtype and bytes (so NaN equals the same NaN, and 0 differs from -0).
inline boost::test_tools::predicate_result same_bits(const Array& a, const Array& b) {
  boost::test_tools::predicate_result r(false);
  if (a.shape() != b.shape()) {
    r.message() << "shapes " << format_shape(a.shape()) << " and " << format_shape(b.shape());
  } else if (a.dtype() != b.dtype()) {
    r.message() << "dtypes " << dtype_name(a.dtype()) << " and " << dtype_name(b.dtype());
  } else {
    const std::size_t differs = dispatch_any(a.dtype(), [&](auto tag) {
      using T = decltype(tag);
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::memcmp(a.data<T>() + i, b.data<T>() + i, sizeof(T)) != 0) return i;
      }
      return a.size();
    });
    if (differs == a.size()) return true;
    r.message() << "first difference at " << format_index(a.shape(), differs) << ": "
                << a.at(differs) << " vs " << b.at(differs);
  }
  return r;
}

// Same entry names in the same order, each pair same_bits.
inline void check_same_arrays(const NamedArrays& a, const NamedArrays& b) {
  BOOST_TEST_REQUIRE(a.size() == b.size(), "entries: " << a.size() << " and " << b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    BOOST_TEST(a[k].first == b[k].first);
    BOOST_TEST(same_bits(a[k].second, b[k].second), a[k].first);
  }
}

}  // namespace xgrad::testing
