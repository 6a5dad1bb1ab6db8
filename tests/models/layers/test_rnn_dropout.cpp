// Tests for dropout between the layers of models/layers/rnn.h's LSTM and
// GRU: p = 0 and eval mode are no dropout; training is one-layer LSTMs
// composed with xgrad::dropout; state_dict resumes the masks; 1 vs 2
// threads; gradcheck in float64 through fixed masks (with bidirectional and
// proj_size).
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <memory>

#include "framework/gradcheck.h"
#include "framework/parallel.h"
#include "models/layers/dropout.h"
#include "models/layers/rnn.h"
#include "ops/arithmetic.h"
#include "ops/dropout.h"
#include "ops/sum.h"
#include "tests/models/layers/reference_values.h"
#include "tests/models/layers/rnn_test_util.h"
#include "tests/test_messages.h"
#include "tests/test_values.h"

using namespace xgrad;
using xgrad::testing::check_same_arrays;
using xgrad::testing::check_values;
using xgrad::testing::param;
using xgrad::testing::parameter_grad_error;
using xgrad::testing::same_bits;
using xgrad::testing::stack_results;
using xgrad::testing::sv;

namespace {
// The Dropout that holds an LSTM's or GRU's between-layer generator.
std::shared_ptr<Dropout> dropout_of(const Module& m) {
  BOOST_TEST_REQUIRE(m.children().size() == 1u);
  BOOST_TEST_REQUIRE(m.children()[0].first == "dropout");
  return std::dynamic_pointer_cast<Dropout>(m.children()[0].second);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(models_layers_rnn_dropout_tests)

BOOST_AUTO_TEST_CASE(dropout_zero_and_eval_mode_are_no_dropout) {
  const Tensor x = sv({5, 2, 3}, 1);
  Generator g1(15), g2(15), g3(15);
  LSTM plain(3, 4, g1, 2, true, false, kFloat64);
  LSTM zero(3, 4, g2, {.num_layers = 2, .dropout = 0, .dtype = kFloat64});
  LSTM half(3, 4, g3, {.num_layers = 2, .dropout = 0.5, .dtype = kFloat64});
  BOOST_TEST(zero.is_training());
  BOOST_TEST(same_bits(plain(x).value(), zero(x).value()));
  BOOST_TEST(zero.children().empty());
  check_same_arrays(plain.state_dict(), zero.state_dict());
  // eval(): the same as without dropout, and no random numbers drawn.
  half.eval();
  BOOST_TEST(same_bits(plain(x).value(), half(x).value()));
  BOOST_TEST(dropout_of(half)->generator().offset() == 0u);
  // training: masks applied (the output differs), T · N · H numbers drawn.
  half.train();
  BOOST_TEST(!same_bits(plain(x).value(), half(x).value()));
  BOOST_TEST(dropout_of(half)->generator().offset() == 5u * 2 * 4);
  // One layer: nothing between layers, so no effect (PyTorch warns).
  Generator g4(16), g5(16);
  GRU one(3, 4, g4, 1, true, false, kFloat64);
  GRU one_drop(3, 4, g5, {.dropout = 0.9, .dtype = kFloat64});
  BOOST_TEST(same_bits(one(x).value(), one_drop(x).value()));
  BOOST_TEST(dropout_of(one_drop)->generator().offset() == 0u);
}

// Training with dropout is the composition of one-layer LSTMs with
// xgrad::dropout between them, drawing from a generator in the layer's state.
BOOST_AUTO_TEST_CASE(dropout_in_training_is_layers_composed_with_dropout) {
  Generator gen(17);
  const RNNOptions one{.bidirectional = true, .proj_size = 2, .dtype = kFloat64};
  LSTM deep(
      3, 4, gen,
      {.num_layers = 3, .dropout = 0.4, .bidirectional = true, .proj_size = 2, .dtype = kFloat64});
  std::vector<std::unique_ptr<LSTM>> layers;
  for (std::size_t k = 0; k < 3; ++k) {
    layers.push_back(std::make_unique<LSTM>(k == 0 ? 3 : 4, 4, gen, one));
    for (Parameter& p : layers[k]->parameters()) {
      std::string name = p.name;
      name.replace(name.find("_l0"), 3, "_l" + std::to_string(k));
      p.tensor.mutable_value() = param(deep, name).value();
    }
  }
  Generator masks = dropout_of(deep)->generator();
  Tensor x = sv({5, 2, 3}, 1, true), x_hand = sv({5, 2, 3}, 1, true);
  const Tensor y = deep(x);
  Tensor y_hand = (*layers[0])(x_hand);
  y_hand = (*layers[1])(dropout(y_hand, 0.4, true, masks));
  y_hand = (*layers[2])(dropout(y_hand, 0.4, true, masks));
  BOOST_TEST(same_bits(y.value(), y_hand.value()));
  BOOST_TEST(dropout_of(deep)->generator().offset() == masks.offset());  // 2 · (5 · 2 · 4)
  BOOST_TEST(masks.offset() == 80u);
  sum(y * sv({5, 2, 4}, 2)).backward();
  sum(y_hand * sv({5, 2, 4}, 2)).backward();
  check_values(x.grad(), x_hand.grad(), 1e-15);
  check_values(param(deep, "weight_ih_l1_reverse").grad(),
               param(*layers[1], "weight_ih_l0_reverse").grad(), 1e-15);
}

BOOST_AUTO_TEST_CASE(dropout_state_dict_round_trip_reproduces_the_next_masks) {
  Generator g1(18), g2(19);
  const RNNOptions o{.num_layers = 2, .dropout = 0.3, .bidirectional = true, .dtype = kFloat64};
  GRU a(3, 4, g1, o), b(3, 4, g2, o);
  const Tensor x = sv({4, 2, 3}, 1);
  const Tensor first = a(x);
  const NamedArrays saved = a.state_dict();
  const Tensor second = a(x);
  BOOST_TEST(!same_bits(first.value(), second.value()));  // new masks each call
  BOOST_TEST(!same_bits(b(x).value(), second.value()));
  b.load_state_dict(saved);
  BOOST_TEST(same_bits(b(x).value(), second.value()));
  check_same_arrays(a.state_dict(), b.state_dict());
}

BOOST_AUTO_TEST_CASE(bidirectional_dropout_one_and_two_threads_bit_identical) {
  auto run = [](std::size_t threads) {
    ThreadLimit limit(threads);
    Generator gen(20);
    LSTM lstm(16, 32, gen,
              {.num_layers = 2,
               .batch_first = true,
               .dropout = 0.3,
               .bidirectional = true,
               .proj_size = 8});
    GRU gru(16, 8, gen, {.num_layers = 2, .dropout = 0.5, .bidirectional = true});
    return stack_results(lstm, gru, gen);
  };
  const auto one = run(1), two = run(2);
  for (std::size_t i = 0; i < one.size(); ++i) BOOST_TEST(same_bits(one[i], two[i]));
}

BOOST_AUTO_TEST_CASE(gradcheck_bidirectional_proj_size_and_dropout_in_float64) {
  Generator gen(21);
  auto lstm = std::make_shared<LSTM>(2, 3, gen,
                                     RNNOptions{.num_layers = 2,
                                                .batch_first = true,
                                                .dropout = 0.3,
                                                .bidirectional = true,
                                                .proj_size = 2,
                                                .dtype = kFloat64});
  // The same masks in every evaluation: the dropout generator reset first.
  auto drop = dropout_of(*lstm);
  auto fl = [lstm, drop](const std::vector<Tensor>& in) {
    drop->set_generator(Generator(5));
    auto r = lstm->forward_with_state(in[0], {in[1], in[2]});
    return std::vector<Tensor>{r.output, r.state.h, r.state.c};
  };
  const Tensor x = sv({2, 3, 2}, 1), h0 = sv({4, 2, 2}, 2), c0 = sv({4, 2, 3}, 3);
  GradcheckResult r = gradcheck("LSTM", MultiFn(fl), {x, h0, c0});
  BOOST_TEST(r.pass(), r.message());
  BOOST_TEST(parameter_grad_error(*lstm, [&] { return fl({x, h0, c0})[0]; }) < 1e-7);

  auto gru = std::make_shared<GRU>(
      2, 3, gen, RNNOptions{.num_layers = 2, .bidirectional = true, .dtype = kFloat64});
  auto fg = [gru](const std::vector<Tensor>& in) {
    auto g = gru->forward_with_state(in[0], in[1]);
    return std::vector<Tensor>{g.output, g.h_n};
  };
  r = gradcheck("GRU", MultiFn(fg), {sv({3, 2, 2}, 4), sv({4, 2, 3}, 5)});
  BOOST_TEST(r.pass(), r.message());
  BOOST_TEST(parameter_grad_error(*gru, [&] { return (*gru)(sv({3, 2, 2}, 4)); }) < 1e-7);
}

BOOST_AUTO_TEST_SUITE_END()
