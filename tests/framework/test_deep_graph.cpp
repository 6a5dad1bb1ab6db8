// Deep graphs: a 1,000,000-node chain backpropagates and is destroyed
// without recursion (Note [Iterative teardown], Note [Backward order]).
// These must also pass under AddressSanitizer, whose larger frames would make
// any per-node recursion overflow the stack much earlier.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdint>

#include "framework/factory.h"
#include "framework/node.h"
#include "ops/arithmetic.h"

using namespace xgrad;

namespace {
constexpr std::size_t kDepth = 1000000;
}

BOOST_AUTO_TEST_SUITE(framework_deep_graph_tests)

BOOST_AUTO_TEST_CASE(million_node_chain_backpropagates) {
  // y = x · c^N: dy/dx = c^N, here about e^0.1.
  const double c = 1.0000001;
  Tensor x = scalar(1.25, kFloat64).requires_grad_();
  const std::int64_t baseline = live_node_count();
  {
    Tensor y = x;
    for (std::size_t i = 0; i < kDepth; ++i) y = y * c;
    BOOST_TEST(live_node_count() == baseline + std::int64_t(kDepth));
    const double closed_form = std::pow(c, double(kDepth));
    BOOST_TEST(y.item() == 1.25 * closed_form, boost::test_tools::tolerance(1e-9));
    y.backward();
    BOOST_TEST(x.grad().item() == closed_form, boost::test_tools::tolerance(1e-9));
    // Backward freed every interior node but the root, which y still holds.
    BOOST_TEST(live_node_count() == baseline + 1);
  }
  BOOST_TEST(live_node_count() == baseline);
}

BOOST_AUTO_TEST_CASE(million_node_chain_is_destroyed_without_backward) {
  Tensor x = scalar(0.0, kFloat64).requires_grad_();
  const std::int64_t baseline = live_node_count();
  {
    Tensor y = x;
    for (std::size_t i = 0; i < kDepth; ++i) y = y + 1.0;
    BOOST_TEST(y.item() == double(kDepth));
    BOOST_TEST(live_node_count() == baseline + std::int64_t(kDepth));
  }
  BOOST_TEST(live_node_count() == baseline);
  BOOST_TEST(!x.has_grad());
}

BOOST_AUTO_TEST_CASE(retained_deep_graph_backpropagates_twice_then_is_destroyed) {
  Tensor x = scalar(2.0, kFloat64).requires_grad_();
  const std::int64_t baseline = live_node_count();
  {
    Tensor y = x;
    for (std::size_t i = 0; i < kDepth; ++i) y = y - 0.5;  // dy/dx = 1
    y.backward(true);
    BOOST_TEST(live_node_count() == baseline + std::int64_t(kDepth));
    y.backward(true);
    BOOST_TEST(x.grad().item() == 2.0);
  }
  BOOST_TEST(live_node_count() == baseline);
}

BOOST_AUTO_TEST_SUITE_END()
