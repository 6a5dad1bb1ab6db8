// Mean squared error: values and gradients against the formula written out
// by hand, the lecture's (1/(2n)) convention, gradcheck, and the error message.
#include <boost/test/unit_test.hpp>
#include <string>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/mse.h"
#include "tests/test_messages.h"

using namespace xgrad;

using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(ops_mse_tests)

BOOST_AUTO_TEST_CASE(known_values_for_every_reduction_and_scale) {
  Tensor x = tensor({{1.0, 2.0}, {3.0, -1.0}}, kFloat64);
  Tensor t = tensor({{0.5, 2.0}, {1.0, 1.0}}, kFloat64);
  const double sq = 0.25 + 0.0 + 4.0 + 4.0;  // Σ (x − t)²
  BOOST_TEST(mse(x, t).item() == sq / 4, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(mse(x, t, Reduction::kSum).item() == sq, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(mse(x, t, Reduction::kMean, MseScale::kHalf).item() == sq / 8,
             boost::test_tools::tolerance(1e-15));
  BOOST_TEST(mse(x, t, Reduction::kSum, MseScale::kHalf).item() == sq / 2,
             boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(lecture_convention_value_and_gradient) {
  // J = (1/(2n)) Σ_i (h_i − y_i)², ∂J/∂h_i = (h_i − y_i)/n: no factor 2.
  Tensor h = tensor({0.3, -1.2, 2.5, 0.0, 1.1}, kFloat64).requires_grad_();
  Tensor y = tensor({0.0, -1.0, 2.0, 0.5, 1.0}, kFloat64).requires_grad_();
  const double n = 5;
  double hand = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    const double e = h.value().at(i) - y.value().at(i);
    hand += e * e;
  }
  hand /= 2 * n;
  Tensor j = mse(h, y, Reduction::kMean, MseScale::kHalf);
  BOOST_TEST(j.item() == hand, boost::test_tools::tolerance(1e-15));
  j.backward();
  for (std::size_t i = 0; i < 5; ++i) {
    const double e = h.value().at(i) - y.value().at(i);
    BOOST_TEST(h.grad().at(i) == e / n, boost::test_tools::tolerance(1e-14));
    BOOST_TEST(y.grad().at(i) == -e / n, boost::test_tools::tolerance(1e-14));
  }
}

BOOST_AUTO_TEST_CASE(gradcheck_both_inputs) {
  Generator gen(8);
  Tensor x(gen.normal({3, 4}, 0.0, 1.0, kFloat64)), t(gen.normal({3, 4}, 0.0, 1.0, kFloat64));
  auto f = [](const std::vector<Tensor>& v) {
    return mse(v[0], v[1], Reduction::kSum, MseScale::kHalf);
  };
  GradcheckResult r = gradcheck("mse", f, {x, t});
  BOOST_TEST(r.pass(), r.message());
}

BOOST_AUTO_TEST_CASE(errors) {
  BOOST_CHECK_EXCEPTION(
      mse(zeros({4, 1}, kFloat64), zeros({4}, kFloat64)), ShapeError,
      message_is("mse: input and target shapes must match: input (4, 1), target (4)"));
  BOOST_CHECK_EXCEPTION(mse(zeros({0}, kFloat64), zeros({0}, kFloat64)), ShapeError,
                        message_is("mse: input must not be empty: input (0)"));
  BOOST_CHECK_THROW(mse(zeros({2}, kFloat64), zeros({2}, kFloat32)), DTypeError);
}

BOOST_AUTO_TEST_SUITE_END()
