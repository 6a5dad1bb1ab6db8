// concat: values against hand-written results on every axis (negative axes
// too), the gradient of each piece, gradcheck, and the exact errors.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "framework/parallel.h"
#include "ops/concat.h"
#include "tests/test_messages.h"

using namespace xgrad;

namespace {
Array iota(const Shape& shape, double start = 1, DType dtype = kFloat64) {
  Array a = Array::empty(shape, dtype);
  for (std::size_t i = 0; i < a.size(); ++i) a.set(i, start + double(i));
  return a;
}

void check_values(const Tensor& t, const std::vector<double>& expected) {
  BOOST_TEST_REQUIRE(t.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) BOOST_TEST(t.value().at(i) == expected[i]);
}

using xgrad::testing::message_is;
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_concat_tests)

BOOST_AUTO_TEST_CASE(rows_and_columns) {
  Tensor a = tensor({{1.0, 2.0}, {3.0, 4.0}}, kFloat64);
  Tensor b = tensor({{5.0, 6.0}}, kFloat64);
  Tensor c = tensor({{7.0}, {8.0}}, kFloat64);
  Tensor rows = concat({a, b}, 0);
  BOOST_TEST(rows.shape() == Shape({3, 2}));
  check_values(rows, {1, 2, 3, 4, 5, 6});
  Tensor cols = concat({a, c, a}, 1);
  BOOST_TEST(cols.shape() == Shape({2, 5}));
  check_values(cols, {1, 2, 7, 1, 2, 3, 4, 8, 3, 4});
  check_values(concat({a, c}, -1), {1, 2, 7, 3, 4, 8});
  BOOST_TEST(concat({a}, 0).op() == "concat");
}

BOOST_AUTO_TEST_CASE(middle_axis_matches_index_loops) {
  Tensor a(iota({2, 1, 3}, 1));
  Tensor b(iota({2, 2, 3}, 100));
  Tensor y = concat({a, b}, -2);
  BOOST_TEST(y.shape() == Shape({2, 3, 3}));
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 3; ++k) {
        double want = j == 0 ? a.value().at(i * 3 + k) : b.value().at((i * 2 + j - 1) * 3 + k);
        BOOST_TEST(y.value().at((i * 3 + j) * 3 + k) == want);
      }
}

BOOST_AUTO_TEST_CASE(backward_slices_dy_into_pieces) {
  Tensor a = Tensor(iota({2, 2}), true);
  Tensor b = Tensor(iota({2, 1}), true);
  Tensor label(iota({2, 3}));           // no grad wanted: gets none
  Tensor y = concat({a, label, b}, 1);  // (2, 6)
  y.backward(iota({2, 6}, 10));
  // dy rows: [10 11 | 12 13 14 | 15], [16 17 | 18 19 20 | 21]
  check_values(Tensor(a.grad()), {10, 11, 16, 17});
  check_values(Tensor(b.grad()), {15, 21});
  BOOST_TEST(!label.requires_grad());
}

BOOST_AUTO_TEST_CASE(gradcheck_pieces) {
  Generator gen(5);
  auto n = [&](const Shape& s) { return Tensor(gen.normal(s, 0, 1, kFloat64)); };
  for (int axis : {0, 1, -1}) {
    std::vector<Tensor> xs = axis == 0   ? std::vector<Tensor>{n({1, 3, 2}), n({2, 3, 2})}
                             : axis == 1 ? std::vector<Tensor>{n({2, 1, 2}), n({2, 3, 2})}
                                         : std::vector<Tensor>{n({2, 3, 2}), n({2, 3, 1})};
    auto r = gradcheck(
        "concat", [axis](const std::vector<Tensor>& x) { return concat(x, axis); }, xs);
    BOOST_TEST(r.pass(), r.message());
  }
}

BOOST_AUTO_TEST_CASE(large_concat_identical_for_one_and_two_threads) {
  Array a = iota({1000, 200}, 0, kFloat32), b = iota({1000, 100}, 1e6, kFloat32);
  BOOST_TEST_REQUIRE(1000 * 300 > xgrad::kElementwiseGrain);  // split across threads
  Array one, two;
  {
    ThreadLimit limit(1);
    one = concat({Tensor(a), Tensor(b)}, 1).value();
  }
  {
    ThreadLimit limit(2);
    two = concat({Tensor(a), Tensor(b)}, 1).value();
  }
  BOOST_TEST(max_abs_diff(one, two) == 0.0);
  BOOST_TEST(two.at(999 * 300 + 199) == a.at(999 * 200 + 199));
  BOOST_TEST(two.at(299 * 300 + 200) == b.at(299 * 100));
}

BOOST_AUTO_TEST_CASE(mismatched_shapes_name_the_input) {
  Tensor a(iota({2, 3})), b(iota({2, 3})), c(iota({4, 2}));
  BOOST_CHECK_EXCEPTION(
      concat({a, b, c}, 0), ShapeError,
      message_is(
          "concat: dimensions other than axis 0 must match: input 0 (2, 3), input 2 (4, 2)"));
  BOOST_CHECK_EXCEPTION(
      concat({a, Tensor(iota({2, 3, 1}))}, 1), ShapeError,
      message_is(
          "concat: dimensions other than axis 1 must match: input 0 (2, 3), input 1 (2, 3, 1)"));
  BOOST_CHECK_EXCEPTION(concat({a, b}, 2), ShapeError,
                        message_is("concat: axis 2 is out of range: input 0 (2, 3)"));
  BOOST_CHECK_EXCEPTION(concat({a, b}, -3), ShapeError,
                        message_is("concat: axis -3 is out of range: input 0 (2, 3)"));
  BOOST_CHECK_EXCEPTION(concat({}, 0), ValueError, message_is("concat: needs at least one tensor"));
}

BOOST_AUTO_TEST_CASE(mixed_dtypes_are_rejected) {
  Tensor a(iota({2, 3})), b(iota({2, 3}, 1, kFloat32));
  BOOST_CHECK_EXCEPTION(concat({a, a, b}, 0), DTypeError,
                        message_is("concat: dtypes must match: input 0 float64, input 2 float32"));
}

BOOST_AUTO_TEST_SUITE_END()
