// Broadcasting: the shape rule and its error, sum_to and broadcast_map
// against index loops written out here (independent of the odometers in
// framework/broadcast.*), on the same-shape, scalar and general paths.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "framework/broadcast.h"
#include "framework/generator.h"
#include "framework/parallel.h"
#include "tests/test_messages.h"

using namespace xgrad;

namespace {
using xgrad::testing::message_is;

// Row-major flat index into `shape` of the multi-index `idx` of a (possibly
// larger-rank) broadcast shape: leading extra dimensions are dropped and size
// 1 dimensions read index 0.
std::size_t source_index(const Shape& shape, const std::vector<std::size_t>& idx) {
  const std::size_t lead = idx.size() - shape.size();
  std::size_t flat = 0;
  for (std::size_t d = 0; d < shape.size(); ++d) {
    flat = flat * shape[d] + (shape[d] == 1 ? 0 : idx[lead + d]);
  }
  return flat;
}

// Every multi-index of `shape` in row-major order.
std::vector<std::vector<std::size_t>> all_indices(const Shape& shape) {
  std::vector<std::vector<std::size_t>> out;
  std::vector<std::size_t> idx(shape.size(), 0);
  for (std::size_t n = shape_size(shape); n > 0; --n) {
    out.push_back(idx);
    for (std::size_t d = shape.size(); d-- > 0;) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

Array hand_sum_to(const Array& g, const Shape& shape) {
  Array r = Array::zeros(shape, kFloat64);
  const auto indices = all_indices(g.shape());
  for (std::size_t i = 0; i < indices.size(); ++i) {
    const std::size_t t = source_index(shape, indices[i]);
    r.set(t, r.at(t) + g.at(i));
  }
  return r;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(framework_broadcast_tests)

BOOST_AUTO_TEST_CASE(shape_rules) {
  BOOST_TEST(broadcast_shapes("op", {2, 3}, {2, 3}) == Shape({2, 3}));
  BOOST_TEST(broadcast_shapes("op", {2, 3}, {3}) == Shape({2, 3}));
  BOOST_TEST(broadcast_shapes("op", {2, 1}, {1, 4}) == Shape({2, 4}));
  BOOST_TEST(broadcast_shapes("op", {2, 1, 4}, {3, 1}) == Shape({2, 3, 4}));
  BOOST_TEST(broadcast_shapes("op", {}, {5, 2}) == Shape({5, 2}));
  BOOST_TEST(broadcast_shapes("op", {0, 3}, {1, 3}) == Shape({0, 3}));
  BOOST_TEST(broadcast_shapes("op", {1}, {}) == Shape({1}));
}

BOOST_AUTO_TEST_CASE(incompatible_shapes_name_the_op_and_both_shapes) {
  BOOST_CHECK_EXCEPTION(broadcast_shapes("add", {2, 3}, {4}), ShapeError,
                        message_is("add: shapes are not broadcastable: lhs (2, 3), rhs (4)"));
  BOOST_CHECK_EXCEPTION(broadcast_shapes("mul", {2, 3, 4}, {3, 2}), ShapeError,
                        message_is("mul: shapes are not broadcastable: lhs (2, 3, 4), rhs (3, 2)"));
}

BOOST_AUTO_TEST_CASE(sum_to_matches_hand_loops) {
  Generator gen(17);
  const std::vector<std::pair<Shape, Shape>> cases{
      {{2, 3}, {2, 3}}, {{2, 3}, {3}},       {{2, 3}, {2, 1}},       {{2, 3}, {}},
      {{2, 3}, {1}},    {{2, 3, 4}, {3, 1}}, {{2, 3, 4}, {1, 3, 1}}, {{2, 3, 4}, {2, 1, 4}},
      {{2, 3, 4}, {4}}, {{5, 1, 3}, {1, 1}}, {{4, 3, 2}, {3, 2}},
  };
  for (const auto& [from, to] : cases) {
    BOOST_TEST_INFO("sum_to " << format_shape(from) << " -> " << format_shape(to));
    Array g = gen.normal(from, 0, 1, kFloat64);
    Array got = sum_to(g, to);
    BOOST_TEST(got.shape() == to);
    BOOST_TEST(max_abs_diff(got, hand_sum_to(g, to)) < 1e-12);
  }
}

BOOST_AUTO_TEST_CASE(sum_to_known_values) {
  // (2, 1, 4) broadcast with (3, 1) gives (2, 3, 4); the gradient of the
  // (3, 1) operand sums over dimensions 0 and 2.
  Array g = Array::full({2, 3, 4}, 1.0, kFloat64);
  for (std::size_t i = 0; i < g.size(); ++i) g.set(i, double(i));
  Array r = sum_to(g, {3, 1});
  // g[a, j, k] = 12a + 4j + k; row j sums a in {0, 1}, k in {0..3}: 32j + 4·12 + 2·6.
  for (std::size_t j = 0; j < 3; ++j) BOOST_TEST(r.at(j) == 32.0 * j + 48 + 12);
  BOOST_CHECK_EXCEPTION(
      sum_to(g, {2, 4}), ShapeError,
      message_is("sum_to: shapes are not broadcastable: lhs (2, 4), rhs (2, 3, 4)"));
  BOOST_CHECK_EXCEPTION(
      sum_to(Array::zeros({4}, kFloat64), {3, 4}), ShapeError,
      message_is("sum_to: target must broadcast to the gradient: gradient (4), target (3, 4)"));
}

BOOST_AUTO_TEST_CASE(sum_to_is_identical_for_one_and_two_threads) {
  Generator gen(1);
  Array g = gen.normal({600, 500}, 0, 1, kFloat32);
  BOOST_TEST_REQUIRE(g.size() > kElementwiseGrain);  // split across threads
  for (const Shape& to : {Shape{}, Shape{500}, Shape{600, 1}}) {
    Array one, two;
    {
      ThreadLimit limit(1);
      one = sum_to(g, to);
    }
    {
      ThreadLimit limit(2);
      two = sum_to(g, to);
    }
    BOOST_TEST(max_abs_diff(one, two) == 0.0);
  }
}

BOOST_AUTO_TEST_CASE(broadcast_map_general_path_matches_hand_loops) {
  Generator gen(23);
  const std::vector<std::pair<Shape, Shape>> cases{
      {{2, 1, 4}, {3, 1}}, {{3, 1}, {2, 1, 4}}, {{2, 3}, {3}},
      {{2, 3}, {2, 1}},    {{1, 3}, {4, 1}},    {{2, 3}, {}},
      {{}, {2, 3}},        {{2, 3}, {2, 3}},    {{2, 2, 1, 3}, {2, 1, 5, 1}},
  };
  for (const auto& [sa, sb] : cases) {
    BOOST_TEST_INFO(format_shape(sa) << " with " << format_shape(sb));
    Array a = gen.normal(sa, 0, 1, kFloat64);
    Array b = gen.normal(sb, 0, 1, kFloat64);
    Array y = broadcast_map("test", a, b, [](auto x, auto z) { return 2 * x - z * z; });
    const Shape out = broadcast_shapes("test", sa, sb);
    BOOST_TEST_REQUIRE(y.shape() == out);
    const auto indices = all_indices(out);
    for (std::size_t i = 0; i < indices.size(); ++i) {
      const double x = a.at(source_index(sa, indices[i]));
      const double z = b.at(source_index(sb, indices[i]));
      BOOST_TEST(y.at(i) == 2 * x - z * z);
    }
  }
}

BOOST_AUTO_TEST_CASE(broadcast_map_large_general_path_threads_agree) {
  Generator gen(4);
  Array a = gen.normal({64, 1, 700}, 0, 1, kFloat32);
  Array b = gen.normal({5, 1}, 0, 1, kFloat32);
  auto f = [](auto x, auto z) { return x * z + z; };
  Array one, two;
  {
    ThreadLimit limit(1);
    one = broadcast_map("test", a, b, f);
  }
  {
    ThreadLimit limit(2);
    two = broadcast_map("test", a, b, f);
  }
  BOOST_TEST(max_abs_diff(one, two) == 0.0);
  BOOST_TEST(broadcast_strides({3, 1}, {2, 3, 4}) == std::vector<std::size_t>({0, 1, 0}));
}

BOOST_AUTO_TEST_SUITE_END()
