// Broadcasting arithmetic: forward values and gradients against formulas
// written out here, gradcheck on broadcasting shapes, and the errors.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/arithmetic.h"
#include "tests/test_messages.h"

using namespace xgrad;

namespace {
using xgrad::testing::message_is;

void check_values(const Array& t, const std::vector<double>& expected, double tol = 0) {
  BOOST_TEST_REQUIRE(t.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    BOOST_TEST(std::abs(t.at(i) - expected[i]) <= tol,
               "element " << i << ": " << t.at(i) << " vs " << expected[i]);
  }
}

const std::vector<double> kA{1, 2, 3, 4, 5, 6};  // (2, 3)
const std::vector<double> kB{2, -4, 8};          // (3)
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_arithmetic_tests)

BOOST_AUTO_TEST_CASE(row_broadcast_forward_values) {
  Tensor a = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, kFloat64);
  Tensor b = tensor({2.0, -4.0, 8.0}, kFloat64);
  std::vector<double> sum, diff, prod, quot;
  for (std::size_t i = 0; i < 6; ++i) {
    sum.push_back(kA[i] + kB[i % 3]);
    diff.push_back(kA[i] - kB[i % 3]);
    prod.push_back(kA[i] * kB[i % 3]);
    quot.push_back(kA[i] / kB[i % 3]);
  }
  check_values((a + b).value(), sum);
  check_values((a - b).value(), diff);
  check_values((a * b).value(), prod);
  check_values((a / b).value(), quot);
  check_values((b - a).value(), {1, -6, 5, -2, -9, 2});
  BOOST_TEST((a + b).shape() == Shape({2, 3}));
}

BOOST_AUTO_TEST_CASE(column_and_rank_broadcasts) {
  Tensor a = tensor({{1.0}, {2.0}}, kFloat64);      // (2, 1)
  Tensor b = tensor({10.0, 20.0, 30.0}, kFloat64);  // (3)
  Tensor y = a * b;                                 // (2, 3)
  BOOST_TEST(y.shape() == Shape({2, 3}));
  check_values(y.value(), {10, 20, 30, 20, 40, 60});
  Tensor s = scalar(0.5, kFloat64);
  check_values((b * s).value(), {5, 10, 15});
}

BOOST_AUTO_TEST_CASE(scalar_forms) {
  Tensor a = tensor({1.0, 2.0, 4.0}, kFloat64);
  check_values((a + 1.5).value(), {2.5, 3.5, 5.5});
  check_values((1.5 + a).value(), {2.5, 3.5, 5.5});
  check_values((a - 1.0).value(), {0, 1, 3});
  check_values((1.0 - a).value(), {0, -1, -3});
  check_values((a * -2.0).value(), {-2, -4, -8});
  check_values((a / 4.0).value(), {0.25, 0.5, 1});
  check_values((2.0 / a).value(), {2, 1, 0.5});
  check_values((-a).value(), {-1, -2, -4});
}

BOOST_AUTO_TEST_CASE(broadcast_gradients_by_hand) {
  // y = a ∘ b with a (2, 3), b (3), upstream dy = ones: the gradient of b
  // sums over the rows.
  Tensor a = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, kFloat64).requires_grad_();
  Tensor b = tensor({2.0, -4.0, 8.0}, kFloat64).requires_grad_();
  const Array ones = Array::full({2, 3}, 1.0, kFloat64);

  (a * b).backward(ones);
  check_values(a.grad(), {2, -4, 8, 2, -4, 8});
  check_values(b.grad(), {5, 7, 9});
  a.zero_grad();
  b.zero_grad();

  (a - b).backward(ones);
  check_values(a.grad(), {1, 1, 1, 1, 1, 1});
  check_values(b.grad(), {-2, -2, -2});
  a.zero_grad();
  b.zero_grad();

  // d(a/b)/db = -a/b²
  (a / b).backward(ones);
  check_values(a.grad(), {0.5, -0.25, 0.125, 0.5, -0.25, 0.125}, 1e-15);
  check_values(b.grad(), {-(1 + 4) / 4.0, (2 + 5) / 16.0 * -1, -(3 + 6) / 64.0}, 1e-15);
}

BOOST_AUTO_TEST_CASE(scalar_gradients_by_hand) {
  Tensor x = tensor({1.0, 2.0, 4.0}, kFloat64).requires_grad_();
  const Array ones = Array::full({3}, 1.0, kFloat64);
  (3.0 / x).backward(ones);  // -3/x²
  check_values(x.grad(), {-3, -0.75, -0.1875});
  x.zero_grad();
  (x * 5.0 - 2.0).backward(ones);
  check_values(x.grad(), {5, 5, 5});
  x.zero_grad();
  (1.0 - x / 2.0).backward(ones);
  check_values(x.grad(), {-0.5, -0.5, -0.5});
}

BOOST_AUTO_TEST_CASE(gradcheck_on_broadcasting_shapes) {
  using Binary = Tensor (*)(const Tensor&, const Tensor&);
  const std::vector<std::pair<std::string, Binary>> ops{
      {"add", add}, {"sub", sub}, {"mul", mul}, {"div", div}};
  const std::vector<std::pair<Shape, Shape>> shapes{
      {{2, 3}, {2, 3}}, {{2, 3}, {3}}, {{2, 1, 4}, {3, 1}}, {{}, {2, 2}}};
  Generator gen(12);
  for (const auto& [name, f] : ops) {
    for (const auto& [sa, sb] : shapes) {
      Tensor a(gen.normal(sa, 0, 1, kFloat64));
      Tensor b(gen.uniform(sb, 0.5, 1.5, kFloat64));  // away from 0 for div
      GradcheckResult r =
          gradcheck(name, [f = f](const std::vector<Tensor>& x) { return f(x[0], x[1]); }, {a, b});
      BOOST_TEST(r.pass(),
                 name << " " << format_shape(sa) << " " << format_shape(sb) << ": " << r.message());
    }
  }
}

BOOST_AUTO_TEST_CASE(only_inputs_that_require_grad_get_one) {
  Tensor a = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  Tensor c = tensor({3.0, 4.0}, kFloat64);
  (a * c).backward(Array::full({2}, 1.0, kFloat64));
  check_values(a.grad(), {3, 4});
  BOOST_CHECK_THROW(c.grad(), GraphError);
}

BOOST_AUTO_TEST_CASE(bad_shapes_and_dtypes) {
  Tensor a = zeros({2, 3}, kFloat64), b = zeros({4}, kFloat64);
  BOOST_CHECK_EXCEPTION(a + b, ShapeError,
                        message_is("add: shapes are not broadcastable: lhs (2, 3), rhs (4)"));
  BOOST_CHECK_EXCEPTION(a * zeros({3, 3}, kFloat64), ShapeError,
                        message_is("mul: shapes are not broadcastable: lhs (2, 3), rhs (3, 3)"));
  BOOST_CHECK_EXCEPTION(a - zeros({2, 3}, kFloat32), DTypeError,
                        message_is("sub: dtypes must match: lhs float64, rhs float32"));
  BOOST_CHECK_THROW(a / Tensor(), GraphError);
}

BOOST_AUTO_TEST_SUITE_END()
