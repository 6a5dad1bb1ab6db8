// Tests for ops/relu.h.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/op_db/samples.h"
#include "ops/relu.h"
#include "tests/test_messages.h"

using xgrad::Array;
using xgrad::kFloat32;
using xgrad::kFloat64;
using xgrad::Tensor;

namespace {
void check_equal(const Array& a, const std::vector<double>& expected) {
  BOOST_TEST_REQUIRE(a.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    BOOST_TEST_INFO("element " << i);
    BOOST_TEST(a.at(i) == expected[i]);
  }
}

using xgrad::testing::message_is;
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_relu_tests)

BOOST_AUTO_TEST_CASE(values_are_max_of_x_and_zero) {
  for (auto dtype : {kFloat64, kFloat32}) {
    // The input as stored in `dtype` (1e-3 is not exact in float32).
    auto stored = [dtype](double v) { return dtype == kFloat32 ? double(float(v)) : v; };
    Tensor y = xgrad::relu(xgrad::tensor({{-2.0, 0.0, 3.5}, {1e-3, -1e-3, 1000.0}}, dtype));
    BOOST_TEST((y.dtype() == dtype));
    check_equal(y.value(), {0.0, 0.0, 3.5, stored(1e-3), 0.0, 1000.0});
  }
}

BOOST_AUTO_TEST_CASE(gradient_is_the_step_and_zero_at_zero) {
  Tensor x = xgrad::tensor({-2.0, 0.0, 3.5, -0.0}, kFloat64).requires_grad_();
  xgrad::relu(x).backward(xgrad::tensor({5.0, 7.0, 11.0, 13.0}, kFloat64).value());
  check_equal(x.grad(), {0.0, 0.0, 11.0, 0.0});
}

BOOST_AUTO_TEST_CASE(gradcheck_away_from_the_kink) {
  xgrad::Generator g(31);
  Tensor x = xgrad::samples::away_from_zero({3, 4}, g);
  xgrad::GradcheckResult r =
      xgrad::gradcheck("relu", [](const auto& in) { return xgrad::relu(in[0]); }, {x});
  BOOST_TEST(r.pass(), r.message());
}

BOOST_AUTO_TEST_CASE(dtype_and_shape_mismatches_are_errors) {
  Tensor x = xgrad::ones({2, 3}, kFloat64).requires_grad_();
  BOOST_CHECK_EXCEPTION(
      xgrad::relu(x).backward(Array::full({2, 3}, 1.0, kFloat32)), xgrad::DTypeError,
      message_is("backward: upstream gradient must have the output's dtype: gradient float32, output float64"));
  BOOST_CHECK_EXCEPTION(xgrad::relu(x).backward(Array::full({3, 2}, 1.0, kFloat64)),
                        xgrad::ShapeError,
                        message_is("backward: upstream gradient must have the output's shape: "
                                   "gradient (3, 2), output (2, 3)"));
  BOOST_CHECK_EXCEPTION(xgrad::relu(Tensor()), xgrad::GraphError,
                        message_is("relu: input is an undefined tensor"));
}

BOOST_AUTO_TEST_SUITE_END()
