// Tests for models/layers/dropout.h: training draws the mask the op would draw
// from the layer's seed (by hand), eval is the identity, the generator
// state lives in state_dict as "rng_state" so a restored layer draws the
// same next mask (bit-exact resume), names and errors.
#include <boost/test/unit_test.hpp>
#include <memory>

#include "framework/factory.h"
#include "models/layers/dropout.h"
#include "models/layers/linear.h"
#include "models/sequential.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(models_layers_dropout_tests)

BOOST_AUTO_TEST_CASE(training_draws_from_the_layer_seed) {
  Dropout layer(0.25, 99);
  Tensor x = ones({3, 4}, kFloat64);
  for (std::uint64_t call = 0; call < 2; ++call) {  // consecutive calls continue the stream
    Tensor y = layer(x);
    for (std::size_t i = 0; i < 12; ++i) {
      const bool dropped = Generator::uniform01(99, call * 12 + i) < 0.25;
      BOOST_TEST(y.value().at(i) == (dropped ? 0.0 : 1 / 0.75));
    }
  }
  BOOST_TEST(layer.generator().offset() == 24u);
  BOOST_TEST(layer.generator().seed() == 99u);
}

BOOST_AUTO_TEST_CASE(eval_is_the_identity) {
  Dropout layer(0.5, 1);
  layer.eval();
  Tensor x = ones({2, 2});
  BOOST_TEST(layer(x).node() == x.node());
  BOOST_TEST(layer.generator().offset() == 0u);
}

BOOST_AUTO_TEST_CASE(state_dict_carries_the_stream_for_a_bit_exact_resume) {
  Generator gen(2);
  auto make = [&](std::uint64_t seed) {
    auto m = std::make_shared<Sequential>();
    m->add(std::make_shared<Linear>(4, 6, gen)).add(std::make_shared<Dropout>(0.5, seed));
    return m;
  };
  auto a = make(0xDEADBEEFCAFEBABEULL), b = make(7);
  Tensor x = ones({5, 4});
  a->forward(x);  // advance a's stream
  NamedArrays state = a->state_dict();
  BOOST_TEST_REQUIRE(state.size() == 3u);
  BOOST_TEST(state[2].first == "1.rng_state");
  BOOST_TEST(state[2].second.shape() == Shape({4}));
  b->load_state_dict(state);
  BOOST_TEST(b->at<Dropout>(1)->generator().seed() == 0xDEADBEEFCAFEBABEULL);
  BOOST_TEST(b->at<Dropout>(1)->generator().offset() == 30u);
  BOOST_TEST(max_abs_diff(a->forward(x).value(), b->forward(x).value()) == 0.0);
}

BOOST_AUTO_TEST_CASE(set_generator_replaces_the_stream) {
  Dropout a(0.5, 1), b(0.5, 2);
  Tensor x = ones({40});
  Generator g(1);
  g.advance(40);
  a(x);
  b.set_generator(g);
  BOOST_TEST(max_abs_diff(a(x).value(), b(x).value()) == 0.0);
}

BOOST_AUTO_TEST_CASE(names_and_errors) {
  BOOST_TEST(Dropout(0.5).name() == "Dropout(p=0.5)");
  BOOST_TEST(Dropout(0.1).name() == "Dropout(p=0.1)");
  BOOST_TEST(Dropout(0.5).parameters().empty());
  BOOST_CHECK_EXCEPTION(Dropout(1.5), ValueError,
                        message_is("Dropout: p must be in [0, 1], got 1.5"));
  Dropout layer(0.5);
  NamedArrays state = layer.state_dict();
  state[0].second.set(3, 0.5);  // not an integer
  layer.load_state_dict(state);
  BOOST_CHECK_EXCEPTION(layer(ones({2})), ValueError,
                        message_is("Dropout: rng_state must hold 32-bit unsigned integers"));
}

BOOST_AUTO_TEST_SUITE_END()
