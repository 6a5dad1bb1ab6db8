// Tests for ops/sum.h: sum and mean over all elements or some axes.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "framework/parallel.h"
#include "ops/sum.h"
#include "tests/test_messages.h"

using xgrad::Array;
using xgrad::kFloat32;
using xgrad::kFloat64;
using xgrad::Shape;
using xgrad::Tensor;

namespace {
// x[i][j][k] = i·12 + j·4 + k, shape (2, 3, 4): sums are exact in double.
Tensor iota_234() {
  Array a = Array::empty({2, 3, 4}, kFloat64);
  for (std::size_t i = 0; i < 24; ++i) a.set(i, double(i));
  return Tensor(a);
}

void check_close(const Array& a, const std::vector<double>& expected, double tol = 0) {
  BOOST_TEST_REQUIRE(a.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    BOOST_TEST_INFO("element " << i);
    BOOST_TEST(std::abs(a.at(i) - expected[i]) <= tol);
  }
}

using xgrad::testing::message_is;

// Sum of x (2, 3, 4) over the dimensions flagged in `r`, by a hand loop;
// the result is indexed row-major over the kept dimensions.
std::vector<double> hand_sum(const Array& x, std::vector<bool> r) {
  const std::size_t e[3] = {2, 3, 4};
  std::size_t n[3];
  for (int d = 0; d < 3; ++d) n[d] = r[d] ? 1 : e[d];
  std::vector<double> out(n[0] * n[1] * n[2], 0.0);
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 4; ++k) {
        const std::size_t o = ((r[0] ? 0 : i) * n[1] + (r[1] ? 0 : j)) * n[2] + (r[2] ? 0 : k);
        out[o] += x.at(i * 12 + j * 4 + k);
      }
  return out;
}

std::vector<double> scaled(std::vector<double> v, double s) {
  for (double& x : v) x *= s;
  return v;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_sum_tests)

BOOST_AUTO_TEST_CASE(full_sum_and_mean) {
  Tensor x = iota_234();
  Tensor s = xgrad::sum(x), m = xgrad::mean(x);
  BOOST_TEST((s.shape() == Shape{}));
  BOOST_TEST((m.shape() == Shape{}));
  BOOST_TEST(s.item() == 276.0);  // 0 + 1 + ... + 23
  BOOST_TEST(m.item() == 11.5);
}

BOOST_AUTO_TEST_CASE(axes_match_hand_loops) {
  Tensor x = iota_234();
  const std::vector<std::vector<int>> cases = {{0}, {1}, {2}, {0, 1}, {0, 2}, {1, 2}, {2, 0, 1}};
  for (const std::vector<int>& axes : cases) {
    std::vector<bool> r(3, false);
    for (int a : axes) r[a] = true;
    BOOST_TEST_CONTEXT("axes of size " << axes.size() << ", first " << axes[0]) {
      check_close(xgrad::sum(x, axes).value(), hand_sum(x.value(), r));
      std::size_t count = 1;
      for (int a : axes) count *= x.shape()[a];
      check_close(xgrad::mean(x, axes).value(), scaled(hand_sum(x.value(), r), 1.0 / count), 1e-14);
    }
  }
}

BOOST_AUTO_TEST_CASE(random_values_match_hand_loops) {
  xgrad::Generator g(11);
  Tensor x = xgrad::randn({2, 3, 4}, g, kFloat64);
  check_close(xgrad::sum(x, {1}).value(), hand_sum(x.value(), {false, true, false}), 1e-14);
  check_close(xgrad::sum(x, {0, 2}).value(), hand_sum(x.value(), {true, false, true}), 1e-14);
  check_close(xgrad::sum(x).value(), hand_sum(x.value(), {true, true, true}), 1e-13);
}

BOOST_AUTO_TEST_CASE(keepdims_shapes_and_negative_axes) {
  Tensor x = iota_234();
  BOOST_TEST((xgrad::sum(x, {1}).shape() == Shape{2, 4}));
  BOOST_TEST((xgrad::sum(x, {1}, true).shape() == Shape{2, 1, 4}));
  BOOST_TEST((xgrad::sum(x, {0, 2}, true).shape() == Shape{1, 3, 1}));
  BOOST_TEST((xgrad::mean(x, {-1}, true).shape() == Shape{2, 3, 1}));
  BOOST_TEST((xgrad::sum(x, {0, 1, 2}).shape() == Shape{}));
  BOOST_TEST((xgrad::sum(x, {0, 1, 2}, true).shape() == Shape{1, 1, 1}));
  check_close(xgrad::sum(x, {-1}).value(), hand_sum(x.value(), {false, false, true}));
  check_close(xgrad::sum(x, {-3, -2}, true).value(), hand_sum(x.value(), {true, true, false}));
  BOOST_TEST(xgrad::sum(x, {0, 1, 2}).item() == xgrad::sum(x).item());
}

BOOST_AUTO_TEST_CASE(empty_axes_reduce_nothing) {
  Tensor x = iota_234();
  Tensor y = xgrad::sum(x, {});
  BOOST_TEST((y.shape() == x.shape()));
  BOOST_TEST(xgrad::max_abs_diff(y.value(), x.value()) == 0.0);
}

BOOST_AUTO_TEST_CASE(empty_input) {
  Tensor x = xgrad::zeros({2, 0}, kFloat64);
  check_close(xgrad::sum(x, {1}).value(), {0.0, 0.0});
  BOOST_TEST(xgrad::sum(x).item() == 0.0);
  BOOST_TEST(std::isnan(xgrad::mean(x).item()));
  Tensor leaf = xgrad::zeros({2, 0}, kFloat64).requires_grad_();
  xgrad::sum(leaf, {1}).backward(Array::full({2}, 1.0, kFloat64));
  BOOST_TEST((leaf.grad().shape() == Shape{2, 0}));
}

BOOST_AUTO_TEST_CASE(backward_broadcasts_dy_back) {
  Tensor x = Tensor(iota_234().value(), true);
  // dy over (2, 4) for axis 1: dx[i][j][k] = dy[i][k] for every j.
  Array dy = Array::empty({2, 4}, kFloat64);
  for (std::size_t i = 0; i < 8; ++i) dy.set(i, double(i) + 1);
  xgrad::sum(x, {1}).backward(dy);
  std::vector<double> expected;
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 4; ++k) expected.push_back(dy.at(i * 4 + k));
  check_close(x.grad(), expected);

  // mean over axes (0, 2) with keepdims: dx[i][j][k] = dy[0][j][0] / 8.
  Tensor z = Tensor(iota_234().value(), true);
  Array dz = Array::empty({1, 3, 1}, kFloat64);
  for (std::size_t j = 0; j < 3; ++j) dz.set(j, 8.0 * (j + 1));
  xgrad::mean(z, {0, 2}, true).backward(dz);
  expected.clear();
  for (std::size_t i = 0; i < 24; ++i) expected.push_back(double((i / 4) % 3 + 1));
  check_close(z.grad(), expected);

  Tensor w = Tensor(iota_234().value(), true);
  xgrad::mean(w).backward();
  check_close(w.grad(), std::vector<double>(24, 1.0 / 24));
}

BOOST_AUTO_TEST_CASE(gradcheck_sum_and_mean) {
  xgrad::Generator g(12);
  Tensor x = xgrad::randn({3, 2, 4}, g, kFloat64);
  auto check = [&](const char* name, const xgrad::OpFn& f) {
    xgrad::GradcheckResult r = xgrad::gradcheck(name, f, {x});
    BOOST_TEST(r.pass(), r.message());
  };
  check("sum", [](const auto& in) { return xgrad::sum(in[0]); });
  check("sum", [](const auto& in) { return xgrad::sum(in[0], {0}); });
  check("sum", [](const auto& in) { return xgrad::sum(in[0], {2, 0}, true); });
  check("mean", [](const auto& in) { return xgrad::mean(in[0]); });
  check("mean", [](const auto& in) { return xgrad::mean(in[0], {-2}, true); });
  check("mean", [](const auto& in) { return xgrad::mean(in[0], {1, 2}); });
}

BOOST_AUTO_TEST_CASE(one_and_two_threads_give_identical_bits) {
  xgrad::Generator g(13);
  const Tensor x32 = xgrad::uniform({1000000}, -1, 1, g, kFloat32);
  const Tensor x64 = xgrad::uniform({1000, 1000}, -1, 1, g, kFloat64);
  auto run = [&] {
    return std::vector<Array>{xgrad::sum(x32).value(), xgrad::sum(x64).value(),
                              xgrad::mean(x32).value(), xgrad::sum(x64, {0}).value(),
                              xgrad::sum(x64, {1}).value()};
  };
  std::vector<Array> one, two;
  {
    xgrad::ThreadLimit limit(1);
    one = run();
  }
  {
    xgrad::ThreadLimit limit(2);
    two = run();
  }
  for (std::size_t i = 0; i < one.size(); ++i) {
    BOOST_TEST_INFO("result " << i);
    BOOST_TEST(xgrad::max_abs_diff(one[i], two[i]) == 0.0);
  }
  // And the full sum is right: a plain double loop agrees closely.
  double hand = 0;
  for (std::size_t i = 0; i < x32.size(); ++i) hand += x32.value().at(i);
  BOOST_TEST(std::abs(one[0].item() - hand) <= 1e-6 * std::max(1.0, std::abs(hand)) + 1e-3);
}

BOOST_AUTO_TEST_CASE(bad_axes_are_shape_errors) {
  Tensor x = xgrad::zeros({2, 3, 4}, kFloat64);
  BOOST_CHECK_EXCEPTION(xgrad::sum(x, {3}), xgrad::ShapeError,
                        message_is("sum: axis 3 is out of range: input (2, 3, 4)"));
  BOOST_CHECK_EXCEPTION(xgrad::mean(x, {0, -4}), xgrad::ShapeError,
                        message_is("mean: axis -4 is out of range: input (2, 3, 4)"));
  BOOST_CHECK_EXCEPTION(xgrad::sum(x, {1, -2}), xgrad::ShapeError,
                        message_is("sum: duplicate axis 1: input (2, 3, 4)"));
  BOOST_CHECK_EXCEPTION(xgrad::mean(x, {2, 2}, true), xgrad::ShapeError,
                        message_is("mean: duplicate axis 2: input (2, 3, 4)"));
}

// One axis as a plain integer, several as a list or a vector of any integer type.
BOOST_AUTO_TEST_CASE(axes_as_one_integer_or_a_list) {
  xgrad::Generator g(30);
  Tensor x = xgrad::randn({2, 3, 4}, g, kFloat64);
  const Array by_list = xgrad::sum(x, {1}).value();
  BOOST_TEST(xgrad::max_abs_diff(xgrad::sum(x, 1).value(), by_list) == 0.0);
  BOOST_TEST(xgrad::max_abs_diff(xgrad::sum(x, -2).value(), by_list) == 0.0);
  BOOST_TEST(xgrad::max_abs_diff(xgrad::sum(x, std::int64_t(1)).value(), by_list) == 0.0);
  const std::vector<std::int64_t> axes64{0, 2};
  const std::vector<int> axes32{0, 2};
  BOOST_TEST(xgrad::max_abs_diff(xgrad::sum(x, axes64).value(), xgrad::sum(x, axes32).value()) ==
             0.0);
  BOOST_TEST((xgrad::mean(x, 2, true).shape() == Shape{2, 3, 1}));
  BOOST_TEST((xgrad::sum(x, {}).shape() == Shape{2, 3, 4}));  // no axes: nothing reduced
}

BOOST_AUTO_TEST_SUITE_END()
