// Checks shared by the optimiser suites (tests/models/optim/test_<optimiser>.cpp):
// a small two-parameter model (a weight and a bias), explicit gradients,
// a state_dict round trip that must reproduce the next step bit-exactly,
// weight decay on weights only, and thread-count independence.
#pragma once

#include <boost/test/unit_test.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "framework/generator.h"
#include "framework/parallel.h"
#include "framework/tensor.h"
#include "models/optim/optimizer.h"
#include "tests/test_messages.h"
#include "tests/test_values.h"

namespace xgrad::test {

// "0.weight" (rows, cols) [weight] and "0.bias" (rows) [bias], seeded values.
inline std::vector<Parameter> make_params(std::uint64_t seed, DType dtype = kFloat64,
                                          std::size_t rows = 2, std::size_t cols = 3) {
  Generator gen(seed);
  return {{"0.weight", Tensor(gen.normal({rows, cols}, 0, 1, dtype), true), ParamRole::kWeight},
          {"0.bias", Tensor(gen.normal({rows}, 0, 1, dtype), true), ParamRole::kBias}};
}

// Fresh leaves holding copies of the values.
inline std::vector<Parameter> copy_params(const std::vector<Parameter>& params) {
  std::vector<Parameter> out;
  for (const Parameter& p : params) out.push_back({p.name, Tensor(p.tensor.value(), true), p.role});
  return out;
}

// Sets each parameter's gradient to a seeded normal draw (backward of a leaf
// with an upstream gradient stores exactly that gradient).
inline void set_grads(std::vector<Parameter>& params, Generator& gen) {
  for (Parameter& p : params) {
    p.tensor.zero_grad();
    p.tensor.backward(gen.normal(p.tensor.shape(), 0, 1, p.tensor.dtype()));
  }
}

inline void set_zero_grads(std::vector<Parameter>& params) {
  for (Parameter& p : params) {
    p.tensor.zero_grad();
    p.tensor.backward(Array::zeros(p.tensor.shape(), p.tensor.dtype()));
  }
}

inline void check_same_values(const std::vector<Parameter>& a, const std::vector<Parameter>& b) {
  for (std::size_t k = 0; k < a.size(); ++k) {
    BOOST_TEST(testing::same_bits(a[k].tensor.value(), b[k].tensor.value()), a[k].name);
  }
}

using MakeOptimizer = std::function<std::unique_ptr<Optimizer>(std::vector<Parameter>)>;

// Three steps, save, restore into a fresh optimiser over copies of the
// parameters, one more step on both: identical bits. A fresh optimiser
// without the state must differ (so the check can fail).
inline void check_state_round_trip(const MakeOptimizer& make, bool stateful = true) {
  std::vector<Parameter> a = make_params(1);
  std::unique_ptr<Optimizer> opt_a = make(a);
  Generator grads(2);
  for (int t = 0; t < 3; ++t) {
    set_grads(a, grads);
    opt_a->step();
  }
  const NamedArrays saved = opt_a->state_dict();
  BOOST_TEST(saved.front().first == "step");
  BOOST_TEST(saved.front().second.shape() == Shape({1}));
  BOOST_TEST((saved.front().second.dtype() == kFloat64));
  BOOST_TEST(saved.front().second.at(0) == 3.0);

  std::vector<Parameter> b = copy_params(a), c = copy_params(a);
  std::unique_ptr<Optimizer> opt_b = make(b), opt_c = make(c);
  opt_b->load_state_dict(saved);
  BOOST_TEST(opt_b->step_count() == 3u);
  testing::check_same_arrays(opt_b->state_dict(), saved);

  Generator next(3);
  set_grads(a, next);
  Generator same(3), again(3);
  set_grads(b, same);
  set_grads(c, again);
  opt_a->step();
  opt_b->step();
  opt_c->step();
  check_same_values(a, b);
  testing::check_same_arrays(opt_a->state_dict(), opt_b->state_dict());
  if (stateful) BOOST_TEST(max_abs_diff(a[0].tensor.value(), c[0].tensor.value()) > 0.0);
}

// With zero gradients, only weight decay moves a parameter: the weight
// moves, the bias does not, unless decay_biases.
inline void check_decay_skips_biases(const MakeOptimizer& with_decay,
                                     const MakeOptimizer& with_decay_on_biases) {
  std::vector<Parameter> p = make_params(4);
  std::vector<Parameter> before = copy_params(p);
  std::unique_ptr<Optimizer> opt = with_decay(p);
  set_zero_grads(p);
  opt->step();
  BOOST_TEST(max_abs_diff(p[0].tensor.value(), before[0].tensor.value()) > 0.0);
  BOOST_TEST(max_abs_diff(p[1].tensor.value(), before[1].tensor.value()) == 0.0);

  std::vector<Parameter> q = copy_params(before);
  std::unique_ptr<Optimizer> opt_all = with_decay_on_biases(q);
  set_zero_grads(q);
  opt_all->step();
  BOOST_TEST(max_abs_diff(q[1].tensor.value(), before[1].tensor.value()) > 0.0);
}

// A parameter above the elementwise grain updates to the same bits on 1
// and 2 threads.
inline void check_thread_independent(const MakeOptimizer& make) {
  std::vector<Array> results;
  for (std::size_t threads : {1, 2}) {
    ThreadLimit limit(threads);
    std::vector<Parameter> p = make_params(5, kFloat32, 600, 400);
    BOOST_TEST_REQUIRE(p[0].tensor.value().size() > kElementwiseGrain);
    std::unique_ptr<Optimizer> opt = make(p);
    Generator grads(6);
    for (int t = 0; t < 2; ++t) {
      set_grads(p, grads);
      opt->step();
    }
    results.push_back(p[0].tensor.value());
  }
  BOOST_TEST(max_abs_diff(results[0], results[1]) == 0.0);
}

// Missing, misshapen, unexpected and malformed entries are rejected with
// messages naming them, and a rejected load changes nothing. `slot` is one
// of the optimiser's slot names.
inline void check_load_errors(const MakeOptimizer& make, const std::string& who,
                              const std::string& slot) {
  std::vector<Parameter> p = make_params(7);
  std::unique_ptr<Optimizer> opt = make(p);
  Generator grads(8);
  set_grads(p, grads);
  opt->step();
  const NamedArrays good = opt->state_dict();
  const std::string op = who + " load_state_dict: ";
  const std::string key = "0.weight." + slot;

  NamedArrays missing;
  for (const auto& e : good) {
    if (e.first != key) missing.push_back(e);
  }
  BOOST_CHECK_EXCEPTION(opt->load_state_dict(missing), ValueError,
                        testing::message_is(op + "missing state '" + key + "'"));

  NamedArrays misshapen = good;
  for (auto& e : misshapen) {
    if (e.first == key) e.second = Array::zeros({5}, kFloat64);
  }
  BOOST_CHECK_EXCEPTION(
      opt->load_state_dict(misshapen), ShapeError,
      testing::message_is(who + " load_state_dict: shape of '" + key +
                          "' differs from its parameter's: stored (5), parameter (2, 3)"));

  NamedArrays wrong_dtype = good;
  for (auto& e : wrong_dtype) {
    if (e.first == key) e.second = e.second.to(kFloat32);
  }
  BOOST_CHECK_EXCEPTION(
      opt->load_state_dict(wrong_dtype), DTypeError,
      testing::message_is(op + "dtype of '" + key +
                          "' differs from its parameter's: stored float32, parameter float64"));

  NamedArrays unexpected = good;
  unexpected.emplace_back("0.other.m", Array::zeros({1}, kFloat64));
  BOOST_CHECK_EXCEPTION(opt->load_state_dict(unexpected), ValueError,
                        testing::message_is(op + "unexpected state '0.other.m'"));

  NamedArrays twice = good;
  twice.push_back(good.back());
  BOOST_CHECK_EXCEPTION(
      opt->load_state_dict(twice), ValueError,
      testing::message_is(op + "entry '" + good.back().first + "' appears twice"));

  NamedArrays bad_step = good;
  bad_step.front().second = Array::full({1}, 1.5, kFloat64);
  BOOST_CHECK_EXCEPTION(opt->load_state_dict(bad_step), ValueError,
                        testing::message_is(op + "'step' must be a non-negative integer, got 1.5"));

  NamedArrays no_step(good.begin() + 1, good.end());
  BOOST_CHECK_EXCEPTION(opt->load_state_dict(no_step), ValueError,
                        testing::message_is(op + "missing state 'step'"));

  // None of the rejected loads changed anything.
  BOOST_TEST(opt->step_count() == 1u);
  testing::check_same_arrays(opt->state_dict(), good);
}

}  // namespace xgrad::test
