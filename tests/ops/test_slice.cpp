// slice and slice_rows: values against index loops, the scattered gradient,
// gradcheck, empty ranges and the exact range errors.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "framework/parallel.h"
#include "ops/arithmetic.h"
#include "ops/slice.h"
#include "tests/test_messages.h"

using namespace xgrad;

namespace {
Array iota(const Shape& shape, DType dtype = kFloat64) {
  Array a = Array::empty(shape, dtype);
  for (std::size_t i = 0; i < a.size(); ++i) a.set(i, double(i) + 1);
  return a;
}

void check_values(const Array& t, const std::vector<double>& expected) {
  BOOST_TEST_REQUIRE(t.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) BOOST_TEST(t.at(i) == expected[i]);
}

using xgrad::testing::message_is;
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_slice_tests)

BOOST_AUTO_TEST_CASE(rows_of_a_matrix) {
  Tensor x = tensor({{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}, {7.0, 8.0}}, kFloat64);
  Tensor y = slice_rows(x, 1, 3);
  BOOST_TEST(y.shape() == Shape({2, 2}));
  check_values(y.value(), {3, 4, 5, 6});
  BOOST_TEST(y.op() == "slice_rows");
  check_values(slice(x, 1, 1, 2).value(), {2, 4, 6, 8});
  check_values(slice(x, -1, 0, 1).value(), {1, 3, 5, 7});
}

BOOST_AUTO_TEST_CASE(middle_axis_matches_index_loops) {
  Tensor x(iota({3, 5, 2}));
  Tensor y = slice(x, 1, 1, 4);
  BOOST_TEST(y.shape() == Shape({3, 3, 2}));
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 2; ++k)
        BOOST_TEST(y.value().at((i * 3 + j) * 2 + k) == x.value().at((i * 5 + j + 1) * 2 + k));
}

BOOST_AUTO_TEST_CASE(empty_and_full_ranges) {
  Tensor x(iota({4, 3}));
  BOOST_TEST(slice_rows(x, 2, 2).shape() == Shape({0, 3}));
  BOOST_TEST(max_abs_diff(slice_rows(x, 0, 4).value(), x.value()) == 0.0);
}

BOOST_AUTO_TEST_CASE(backward_scatters_into_zeros) {
  Tensor x = Tensor(iota({2, 4}), true);
  Tensor y = slice(x, 1, 1, 3);  // (2, 2)
  y.backward(Array(xt::xarray<double>{{10.0, 20.0}, {30.0, 40.0}}));
  check_values(x.grad(), {0, 10, 20, 0, 0, 30, 40, 0});
}

BOOST_AUTO_TEST_CASE(two_slices_accumulate) {
  Tensor x = Tensor(iota({4, 2}), true);
  Tensor loss = slice_rows(x, 0, 3) + slice_rows(x, 1, 4);  // rows 1 and 2 used twice
  loss.backward(Array::full(loss.shape(), 1.0, kFloat64));
  check_values(x.grad(), {1, 1, 2, 2, 2, 2, 1, 1});
}

BOOST_AUTO_TEST_CASE(gradcheck_slices) {
  Generator gen(11);
  Tensor x(gen.normal({4, 3, 2}, 0, 1, kFloat64));
  for (int axis : {0, 1, 2, -1}) {
    auto r = gradcheck(
        "slice", [axis](const std::vector<Tensor>& in) { return slice(in[0], axis, 1, 2); }, {x});
    BOOST_TEST(r.pass(), r.message());
  }
  auto r = gradcheck("slice_rows",
                     [](const std::vector<Tensor>& in) { return slice_rows(in[0], 1, 3); }, {x});
  BOOST_TEST(r.pass(), r.message());
}

BOOST_AUTO_TEST_CASE(large_slice_identical_for_one_and_two_threads) {
  Array x = iota({4000, 100}, kFloat32);
  BOOST_TEST_REQUIRE(4000 * 80 > xgrad::kElementwiseGrain);  // split across threads
  Array one, two;
  {
    ThreadLimit limit(1);
    one = slice(Tensor(x), 1, 10, 90).value();
  }
  {
    ThreadLimit limit(2);
    two = slice(Tensor(x), 1, 10, 90).value();
  }
  BOOST_TEST(max_abs_diff(one, two) == 0.0);
  BOOST_TEST(two.at(999 * 80 + 79) == x.at(999 * 100 + 89));
}

// Bounds resolve as Python's x[begin:end] (and PyTorch's slice): negative
// counts from the end, then both clamp to [0, n]; end before begin is empty.
BOOST_AUTO_TEST_CASE(bounds_resolve_as_python_slices) {
  Tensor x(iota({4, 3}));                                            // rows 1-3, 4-6, 7-9, 10-12
  check_values(slice_rows(x, -1).value(), {10, 11, 12});             // x[-1:]
  check_values(slice_rows(x, 0, -3).value(), {1, 2, 3});             // x[:-3]
  check_values(slice(x, 1, -2, -1).value(), {2, 5, 8, 11});          // x[:, -2:-1]
  check_values(slice(x, 1, 1).value(), {2, 3, 5, 6, 8, 9, 11, 12});  // x[:, 1:]
  BOOST_TEST(slice_rows(x, 3, 2).shape() == Shape({0, 3}));          // x[3:2]
  BOOST_TEST(slice_rows(x, 2, 100).shape() == Shape({2, 3}));        // x[2:100]
  BOOST_TEST(slice_rows(x, 7, 9).shape() == Shape({0, 3}));          // x[7:9]
  BOOST_TEST(slice_rows(x, -100, 1).shape() == Shape({1, 3}));       // x[-100:1]
  Tensor w = Tensor(iota({4, 2}), true);
  slice_rows(w, -2).backward(Array::full({2, 2}, 1.0, kFloat64));
  check_values(w.grad(), {0, 0, 0, 0, 1, 1, 1, 1});
}

BOOST_AUTO_TEST_CASE(bad_axes_are_named) {
  Tensor x(iota({4, 3}));
  BOOST_CHECK_EXCEPTION(slice(x, 2, 0, 1), ShapeError,
                        message_is("slice: axis 2 is out of range: input (4, 3)"));
  BOOST_CHECK_EXCEPTION(slice(x, -3, 0, 1), ShapeError,
                        message_is("slice: axis -3 is out of range: input (4, 3)"));
  BOOST_CHECK_EXCEPTION(slice_rows(Tensor(Array::scalar(1, kFloat64)), 0, 1), ShapeError,
                        message_is("slice_rows: axis 0 is out of range: input ()"));
  BOOST_CHECK_EXCEPTION(slice_backward(Tensor(iota({2, 3})), {4, 3}, 0, 3), ShapeError,
                        message_is("slice_backward: gradient must fit the input at begin 3: "
                                   "gradient (2, 3), input (4, 3)"));
}

BOOST_AUTO_TEST_SUITE_END()
