// linear: y = x·Wᵀ + b against loops written out here (with and without a
// bias), the hand gradients dx = dy·W, dW = dyᵀ·x, db = Σ_rows dy,
// gradcheck, thread-count independence and the shape errors.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "framework/parallel.h"
#include "ops/linear.h"
#include "tests/test_messages.h"

using namespace xgrad;

using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(ops_linear_tests)

BOOST_AUTO_TEST_CASE(known_values) {
  Tensor x = tensor({{1.0, 2.0}, {3.0, -1.0}, {0.0, 0.5}}, kFloat64);  // (3, 2)
  Tensor w = tensor({{1.0, 0.0}, {2.0, -3.0}}, kFloat64);              // (2, 2)
  Tensor b = tensor({0.5, -1.0}, kFloat64);
  Tensor y = linear(x, w, b);
  BOOST_TEST(y.shape() == Shape({3, 2}));
  // row (1, 2): (1 + 0.5, 2 - 6 - 1); row (3, -1): (3.5, 6 + 3 - 1); row (0, 0.5): (0.5, -2.5)
  const double want[] = {1.5, -5, 3.5, 8, 0.5, -2.5};
  for (std::size_t i = 0; i < 6; ++i) BOOST_TEST(y.value().at(i) == want[i]);
  Tensor y0 = linear(x, w);
  for (std::size_t i = 0; i < 6; ++i)
    BOOST_TEST(y0.value().at(i) == want[i] - (i % 2 ? -1.0 : 0.5));
}

BOOST_AUTO_TEST_CASE(values_and_gradients_match_loops) {
  Generator gen(41);
  const std::size_t n = 5, in = 7, out = 3;
  Array xa = gen.normal({n, in}, 0, 1, kFloat64), wa = gen.normal({out, in}, 0, 1, kFloat64);
  Array ba = gen.normal({out}, 0, 1, kFloat64), dy = gen.normal({n, out}, 0, 1, kFloat64);
  Tensor x(xa, true), w(wa, true), b(ba, true);
  Tensor y = linear(x, w, b);
  y.backward(dy);
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t o = 0; o < out; ++o) {
      double s = ba.at(o);
      for (std::size_t i = 0; i < in; ++i) s += xa.at(r * in + i) * wa.at(o * in + i);
      BOOST_TEST(std::abs(y.value().at(r * out + o) - s) < 1e-12);
    }
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t i = 0; i < in; ++i) {  // dx = dy · W
      double s = 0;
      for (std::size_t o = 0; o < out; ++o) s += dy.at(r * out + o) * wa.at(o * in + i);
      BOOST_TEST(std::abs(x.grad().at(r * in + i) - s) < 1e-12);
    }
  for (std::size_t o = 0; o < out; ++o) {
    double sb = 0;
    for (std::size_t r = 0; r < n; ++r) sb += dy.at(r * out + o);
    BOOST_TEST(std::abs(b.grad().at(o) - sb) < 1e-12);  // db = Σ_rows dy
    for (std::size_t i = 0; i < in; ++i) {              // dW = dyᵀ · x
      double s = 0;
      for (std::size_t r = 0; r < n; ++r) s += dy.at(r * out + o) * xa.at(r * in + i);
      BOOST_TEST(std::abs(w.grad().at(o * in + i) - s) < 1e-12);
    }
  }
}

BOOST_AUTO_TEST_CASE(gradcheck_with_and_without_bias) {
  Generator gen(42);
  Tensor x(gen.normal({4, 3}, 0, 1, kFloat64)), w(gen.normal({2, 3}, 0, 1, kFloat64));
  Tensor b(gen.normal({2}, 0, 1, kFloat64));
  GradcheckResult r =
      gradcheck("linear", [](const std::vector<Tensor>& in) { return linear(in[0], in[1], in[2]); },
                {x, w, b});
  BOOST_TEST(r.pass(), r.message());
  GradcheckResult r0 = gradcheck(
      "linear", [](const std::vector<Tensor>& in) { return linear(in[0], in[1]); }, {x, w});
  BOOST_TEST(r0.pass(), r0.message());
}

BOOST_AUTO_TEST_CASE(frozen_weight_gets_no_gradient) {
  Tensor x = ones({2, 3}, kFloat64).requires_grad_();
  Tensor w = ones({4, 3}, kFloat64);
  linear(x, w).backward(Array::full({2, 4}, 1.0, kFloat64));
  for (std::size_t i = 0; i < 6; ++i) BOOST_TEST(x.grad().at(i) == 4.0);
  BOOST_TEST(!w.has_grad());
}

BOOST_AUTO_TEST_CASE(identical_for_one_and_two_threads) {
  Generator gen(43);
  Array x = gen.normal({256, 300}, 0, 1, kFloat32), w = gen.normal({200, 300}, 0, 1, kFloat32);
  Array b = gen.normal({200}, 0, 1, kFloat32), dy = gen.normal({256, 200}, 0, 1, kFloat32);
  std::vector<Array> results[2];
  for (std::size_t t : {1, 2}) {
    ThreadLimit limit(t);
    Tensor tx(x, true), tw(w, true), tb(b, true);
    Tensor y = linear(tx, tw, tb);
    y.backward(dy);
    results[t - 1] = {y.value(), tx.grad(), tw.grad(), tb.grad()};
  }
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(max_abs_diff(results[0][i], results[1][i]) == 0.0);
}

BOOST_AUTO_TEST_CASE(bad_shapes_are_named) {
  BOOST_CHECK_EXCEPTION(
      linear(zeros({4, 5}), zeros({2, 3})), ShapeError,
      message_is(
          "linear: input must be (N, in) with in = weight columns: input (4, 5), weight (2, 3)"));
  BOOST_CHECK_EXCEPTION(
      linear(zeros({4, 3}), zeros({2, 3}), zeros({3})), ShapeError,
      message_is("linear: bias must be (out) with out = weight rows: bias (3), weight (2, 3)"));
  BOOST_CHECK_EXCEPTION(linear(zeros({4, 3}), zeros({3})), ShapeError,
                        message_is("linear: weight must be 2-D (out, in): weight (3)"));
  BOOST_CHECK_EXCEPTION(linear(zeros({4, 3}), zeros({2, 3}, kFloat64)), DTypeError,
                        message_is("linear: dtypes must match: input float32, weight float64"));
}

BOOST_AUTO_TEST_SUITE_END()
