// Tests for models/sequential.h: layers applied in order (against the
// composition by hand), child names, access, and the null-layer error.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <memory>

#include "models/layers/activations.h"
#include "models/layers/linear.h"
#include "models/sequential.h"
#include "ops/linear.h"
#include "ops/tanh.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(models_sequential_tests)

BOOST_AUTO_TEST_CASE(applies_layers_in_order) {
  Generator gen(1);
  auto l1 = std::make_shared<Linear>(3, 4, gen, true, kFloat64);
  auto l2 = std::make_shared<Linear>(4, 2, gen, true, kFloat64);
  Sequential seq({l1, std::make_shared<Tanh>(), l2});
  Tensor x = Tensor(gen.normal({5, 3}, 0, 1, kFloat64));
  Tensor expected = linear(tanh(linear(x, l1->weight(), l1->bias())), l2->weight(), l2->bias());
  BOOST_TEST(max_abs_diff(seq(x).value(), expected.value()) == 0.0);
  // tanh(h) for the first element by hand
  double z = l1->bias().value().at(0);
  for (std::size_t i = 0; i < 3; ++i) z += x.value().at(i) * l1->weight().value().at(i);
  Sequential first({l1, std::make_shared<Tanh>()});
  BOOST_TEST(std::abs(first(x).value().at(0) - std::tanh(z)) < 1e-12);
}

BOOST_AUTO_TEST_CASE(children_and_access) {
  Generator gen(2);
  Sequential seq;
  seq.add(std::make_shared<Linear>(2, 2, gen)).add(std::make_shared<ReLU>());
  BOOST_TEST(seq.size() == 2u);
  BOOST_TEST(seq.children()[1].first == "1");
  BOOST_TEST(seq[1].name() == "ReLU");
  BOOST_TEST(seq.at<Linear>(0) != nullptr);
  BOOST_TEST(seq.at<Linear>(1) == nullptr);  // wrong type: null, not a crash
  BOOST_TEST(seq.name() == "Sequential");
  Sequential empty;
  Tensor x = Tensor(Array::zeros({1, 2}, kFloat32));
  BOOST_TEST(empty(x).node() == x.node());  // no layers: the identity
}

BOOST_AUTO_TEST_CASE(null_layer_is_rejected) {
  Sequential seq;
  BOOST_CHECK_EXCEPTION(seq.add(nullptr), ValueError,
                        message_is("Sequential: cannot add a null layer"));
}

BOOST_AUTO_TEST_SUITE_END()
