// matmul: values against a naive triple loop for the plain, batched and
// both shared-operand forms (incl. sizes where the kernel tiles), gradients
// against the hand formulas dA = dY·Bᵀ, dB = Aᵀ·dY, gradcheck, and errors.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "framework/parallel.h"
#include "ops/matmul.h"
#include "tests/test_messages.h"

using namespace xgrad;

namespace {
using xgrad::testing::message_is;

// (B, m, k) or (m, k) as (batch, m, k) with batch stride 0 for a 2-D operand.
struct View {
  std::size_t batch, rows, cols, stride;
};
View view(const Array& x) {
  const Shape& s = x.shape();
  if (s.size() == 2) return {1, s[0], s[1], 0};
  return {s[0], s[1], s[2], s[1] * s[2]};
}

// The reference: C[i] = A[i] · B[i] by three loops, in double.
Array naive_matmul(const Array& a, const Array& b) {
  const View va = view(a), vb = view(b);
  const std::size_t batch = std::max(va.batch, vb.batch);
  const bool batched = a.dim() == 3 || b.dim() == 3;
  const std::size_t m = va.rows, k = va.cols, n = vb.cols;
  Array c = Array::zeros(batched ? Shape{batch, m, n} : Shape{m, n}, kFloat64);
  for (std::size_t p = 0; p < batch; ++p)
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        double s = 0;
        for (std::size_t q = 0; q < k; ++q) {
          s += a.at(p * va.stride + i * k + q) * b.at(p * vb.stride + q * n + j);
        }
        c.set((p * m + i) * n + j, s);
      }
  return c;
}

void check_close(const Array& got, const Array& want, double tol) {
  BOOST_TEST_REQUIRE(got.shape() == want.shape());
  BOOST_TEST(max_abs_diff(got.to(kFloat64), want) <= tol);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_matmul_tests)

BOOST_AUTO_TEST_CASE(known_values) {
  Tensor a = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, kFloat64);
  Tensor b = tensor({{7.0, 8.0}, {9.0, 10.0}, {11.0, 12.0}}, kFloat64);
  Tensor c = matmul(a, b);
  BOOST_TEST(c.shape() == Shape({2, 2}));
  // 1·7 + 2·9 + 3·11 = 58, 1·8 + 2·10 + 3·12 = 64, 4·7 + 5·9 + 6·11 = 139, 154
  const double want[] = {58, 64, 139, 154};
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(c.value().at(i) == want[i]);
}

BOOST_AUTO_TEST_CASE(all_forms_match_the_triple_loop) {
  Generator gen(31);
  const std::vector<std::pair<Shape, Shape>> cases{
      {{3, 4}, {4, 2}},         {{1, 5}, {5, 1}},           {{7, 1}, {1, 6}},
      {{2, 3, 4}, {2, 4, 5}},   {{3, 3, 4}, {4, 2}},        {{3, 4}, {2, 4, 2}},
      {{70, 130}, {130, 90}},   {{4, 33, 65}, {4, 65, 17}}, {{5, 40, 60}, {60, 70}},
      {{600, 150}, {150, 130}},  // m·n·k above the serial threshold: tiled
  };
  for (const auto& [sa, sb] : cases) {
    BOOST_TEST_INFO(format_shape(sa) << " x " << format_shape(sb));
    Array a = gen.normal(sa, 0, 1, kFloat64), b = gen.normal(sb, 0, 1, kFloat64);
    Array want = naive_matmul(a, b);
    check_close(matmul(Tensor(a), Tensor(b)).value(), want, 1e-11);
    check_close(matmul(Tensor(a.to(kFloat32)), Tensor(b.to(kFloat32))).value(), want, 1e-3);
  }
}

BOOST_AUTO_TEST_CASE(gradients_match_the_hand_formulas) {
  // dA = dY · Bᵀ, dB = Aᵀ · dY; for the shared (k, n) operand of a batched
  // product, dB sums Aᵀ[i] · dY[i] over the batch.
  Generator gen(32);
  Array a = gen.normal({2, 3, 4}, 0, 1, kFloat64), b = gen.normal({4, 5}, 0, 1, kFloat64);
  Array dy = gen.normal({2, 3, 5}, 0, 1, kFloat64);
  Tensor ta(a, true), tb(b, true);
  matmul(ta, tb).backward(dy);
  for (std::size_t p = 0; p < 2; ++p)
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t q = 0; q < 4; ++q) {
        double s = 0;
        for (std::size_t j = 0; j < 5; ++j) s += dy.at((p * 3 + i) * 5 + j) * b.at(q * 5 + j);
        BOOST_TEST(std::abs(ta.grad().at((p * 3 + i) * 4 + q) - s) < 1e-12);
      }
  for (std::size_t q = 0; q < 4; ++q)
    for (std::size_t j = 0; j < 5; ++j) {
      double s = 0;
      for (std::size_t p = 0; p < 2; ++p)
        for (std::size_t i = 0; i < 3; ++i)
          s += a.at((p * 3 + i) * 4 + q) * dy.at((p * 3 + i) * 5 + j);
      BOOST_TEST(std::abs(tb.grad().at(q * 5 + j) - s) < 1e-12);
    }
}

BOOST_AUTO_TEST_CASE(gradcheck_every_form) {
  Generator gen(33);
  const std::vector<std::pair<Shape, Shape>> cases{
      {{3, 4}, {4, 2}}, {{2, 3, 4}, {2, 4, 5}}, {{2, 3, 4}, {4, 2}}, {{3, 4}, {2, 4, 2}}};
  for (const auto& [sa, sb] : cases) {
    Tensor a(gen.normal(sa, 0, 1, kFloat64)), b(gen.normal(sb, 0, 1, kFloat64));
    GradcheckResult r = gradcheck(
        "matmul", [](const std::vector<Tensor>& x) { return matmul(x[0], x[1]); }, {a, b});
    BOOST_TEST(r.pass(), format_shape(sa) << " x " << format_shape(sb) << ": " << r.message());
  }
}

BOOST_AUTO_TEST_CASE(identical_for_one_and_two_threads) {
  Generator gen(34);
  Array a = gen.normal({8, 70, 90}, 0, 1, kFloat32), b = gen.normal({90, 300}, 0, 1, kFloat32);
  Array dy = gen.normal({8, 70, 300}, 0, 1, kFloat32);
  Array y1, y2, ga1, ga2, gb1, gb2;
  for (std::size_t threads : {1, 2}) {
    ThreadLimit limit(threads);
    Tensor ta(a, true), tb(b, true);
    Tensor y = matmul(ta, tb);
    y.backward(dy);
    (threads == 1 ? y1 : y2) = y.value();
    (threads == 1 ? ga1 : ga2) = ta.grad();
    (threads == 1 ? gb1 : gb2) = tb.grad();
  }
  BOOST_TEST(max_abs_diff(y1, y2) == 0.0);
  BOOST_TEST(max_abs_diff(ga1, ga2) == 0.0);
  BOOST_TEST(max_abs_diff(gb1, gb2) == 0.0);
}

BOOST_AUTO_TEST_CASE(bad_shapes_are_named) {
  BOOST_CHECK_EXCEPTION(
      matmul(zeros({2, 3}), zeros({4, 5})), ShapeError,
      message_is("matmul: lhs columns must equal rhs rows: lhs (2, 3), rhs (4, 5)"));
  BOOST_CHECK_EXCEPTION(matmul(zeros({2, 2, 3}), zeros({3, 3, 1})), ShapeError,
                        message_is("matmul: batch sizes must match: lhs (2, 2, 3), rhs (3, 3, 1)"));
  BOOST_CHECK_EXCEPTION(matmul(zeros({3}), zeros({3, 1})), ShapeError,
                        message_is("matmul: operands must be 2-D or 3-D: lhs (3), rhs (3, 1)"));
  BOOST_CHECK_EXCEPTION(matmul(zeros({2, 3}), zeros({3, 1}, kFloat64)), DTypeError,
                        message_is("matmul: dtypes must match: lhs float32, rhs float64"));
}

BOOST_AUTO_TEST_SUITE_END()
