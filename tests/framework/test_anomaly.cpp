// Anomaly mode: the first NaN or infinity, forward or backward, is a
// NumericError naming the op, the output or the gradient's input, and where
// the op was recorded; off, nothing is checked (NaN propagates).
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>

#include "framework/anomaly.h"
#include "framework/factory.h"
#include "ops/elementwise.h"
#include "ops/relu.h"
#include "ops/sum.h"

using namespace xgrad;

namespace {
// Records log(x) here, so that the trace has a frame of its own.
[[gnu::noinline]] Tensor log_of_here(const Tensor& x) { return log(x); }

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const NumericError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(framework_anomaly_tests)

BOOST_AUTO_TEST_CASE(a_non_finite_output_names_the_op_and_where_it_was_recorded) {
  Tensor x = tensor({1.0, -1.0}, kFloat64).requires_grad_();
  AnomalyMode anomaly;
  const std::string m = message_of([&] { log_of_here(x); });
  BOOST_TEST(m.find("anomaly: the output of 'log' holds nan at flat index 1 (shape (2))") == 0u, m);
  BOOST_TEST(m.find("recorded at: ") != std::string::npos, m);
  BOOST_TEST(m.find("log_of_here") != std::string::npos, m);
}

BOOST_AUTO_TEST_CASE(a_non_finite_gradient_names_the_op_and_the_input) {
  Tensor x = tensor({0.0, 4.0}, kFloat64).requires_grad_();
  AnomalyMode anomaly;
  Tensor y = sum(sqrt(x));  // finite forward; d sqrt(x)/dx = inf at 0
  const std::string m = message_of([&] { y.backward(); });
  BOOST_TEST(m.find("anomaly: backward: the gradient for input 0 of 'sqrt' holds inf at flat "
                    "index 0 (shape (2))") == 0u,
             m);
}

BOOST_AUTO_TEST_CASE(off_nothing_is_checked_and_nan_propagates) {
  AnomalyMode off(false);
  BOOST_TEST(!is_anomaly_enabled());
  Tensor x = tensor({std::nan(""), -1.0}, kFloat64).requires_grad_();
  Tensor y = relu(x);  // relu(NaN) = NaN, as PyTorch
  BOOST_TEST(std::isnan(y.value().at(0)));
  BOOST_TEST(std::isnan(sum(log(x)).item()));
}

BOOST_AUTO_TEST_CASE(the_guard_nests_and_restores) {
  BOOST_TEST(!is_anomaly_enabled());
  {
    AnomalyMode on;
    BOOST_TEST(is_anomaly_enabled());
    {
      AnomalyMode off(false);
      BOOST_TEST(!is_anomaly_enabled());
    }
    BOOST_TEST(is_anomaly_enabled());
  }
  BOOST_TEST(!is_anomaly_enabled());
}

BOOST_AUTO_TEST_SUITE_END()
