// The backward engine: accumulation (fan-out, shared weights, repeated
// backward), graph freeing and retain_graph, upstream gradients,
// retain_grad, NoGradGuard, detach, and the engine's own error messages.
// Expected gradients are closed forms worked out by hand.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/grad_mode.h"
#include "framework/record.h"
#include "framework/engine.h"
#include "ops/arithmetic.h"
#include "ops/elementwise.h"
#include "ops/matmul.h"
#include "ops/relu.h"
#include "ops/sum.h"
#include "tests/test_messages.h"

using namespace xgrad;

namespace {
using xgrad::testing::message_is;

auto message_contains(const std::string& part) {
  return [part](const std::exception& e) {
    BOOST_TEST_INFO("message: " << e.what());
    BOOST_TEST(std::string(e.what()).find(part) != std::string::npos);
    return std::string(e.what()).find(part) != std::string::npos;
  };
}

Tensor param(double v) { return scalar(v, kFloat64).requires_grad_(); }
}  // namespace

BOOST_AUTO_TEST_SUITE(framework_engine_tests)

BOOST_AUTO_TEST_CASE(fan_out_accumulates) {
  // y = 2x + x·x uses x three times: dy/dx = 2 + 2x = 5 at x = 1.5.
  Tensor x = param(1.5);
  Tensor y = x * 2.0 + x * x;
  y.backward();
  BOOST_TEST(x.grad().item() == 5.0);

  // Elementwise: x + x + x has gradient 3 everywhere.
  Tensor v = tensor({1.0, -2.0, 4.0}, kFloat64).requires_grad_();
  Tensor s = v + v + v;
  s.backward(Array::full({3}, 1.0, kFloat64));
  for (std::size_t i = 0; i < 3; ++i) BOOST_TEST(v.grad().at(i) == 3.0);
}

BOOST_AUTO_TEST_CASE(shared_weights_sum_their_uses) {
  // y = w·a + w·b with the same w: dy/dw = a + b.
  Tensor w = tensor({0.5, -1.0}, kFloat64).requires_grad_();
  Tensor a = tensor({2.0, 3.0}, kFloat64);
  Tensor b = tensor({-7.0, 0.25}, kFloat64);
  Tensor y = w * a + w * b;
  y.backward(Array::full({2}, 1.0, kFloat64));
  BOOST_TEST(w.grad().at(0) == -5.0);
  BOOST_TEST(w.grad().at(1) == 3.25);
  BOOST_TEST(!a.requires_grad());
}

BOOST_AUTO_TEST_CASE(gradients_accumulate_until_zero_grad) {
  Tensor x = param(2.0);
  (x * 3.0).backward();
  BOOST_TEST(x.grad().item() == 3.0);
  (x * 3.0).backward();
  BOOST_TEST(x.grad().item() == 6.0);
  x.zero_grad();
  BOOST_TEST(!x.has_grad());
  (x * x).backward();
  BOOST_TEST(x.grad().item() == 4.0);
}

BOOST_AUTO_TEST_CASE(retain_graph_allows_a_second_backward) {
  Tensor x = param(3.0);
  Tensor y = x * x;  // dy/dx = 6
  y.backward(true);
  y.backward(true);
  BOOST_TEST(x.grad().item() == 12.0);
  y.backward();  // frees the graph
  BOOST_TEST(x.grad().item() == 18.0);
  BOOST_CHECK_EXCEPTION(y.backward(), GraphError, message_contains("retain_graph"));
  BOOST_TEST(x.grad().item() == 18.0);
}

BOOST_AUTO_TEST_CASE(second_backward_without_retain_graph_throws) {
  Tensor x = param(3.0);
  Tensor h = x * 2.0;
  Tensor y = h * h;
  y.backward();
  BOOST_CHECK_EXCEPTION(y.backward(), GraphError, message_contains("retain_graph"));
  // A new consumer of the freed h cannot go through it either.
  Tensor z = h + 1.0;
  BOOST_CHECK_EXCEPTION(z.backward(), GraphError, message_contains("retain_graph"));
}

BOOST_AUTO_TEST_CASE(non_scalar_needs_an_upstream_gradient) {
  Tensor x = zeros({2, 3}, kFloat64).requires_grad_();
  Tensor y = x * 2.0;
  BOOST_CHECK_EXCEPTION(y.backward(), ShapeError,
                        message_is("backward: an upstream gradient is required for an output "
                                   "with more than one element: output (2, 3)"));
  BOOST_CHECK_EXCEPTION(
      y.backward(Array::zeros({3, 2}, kFloat64)), ShapeError,
      message_is("backward: upstream gradient must have the output's shape: gradient (3, 2), "
                 "output (2, 3)"));
  BOOST_CHECK_THROW(y.backward(Array::zeros({2, 3}, kFloat32)), DTypeError);
  // The failed calls left the graph usable.
  y.backward(Array::full({2, 3}, 1.0, kFloat64));
  BOOST_TEST(x.grad().at(5) == 2.0);
}

BOOST_AUTO_TEST_CASE(retain_grad_keeps_an_intermediate_gradient) {
  // h = x², y = 3h + h = 4h: dy/dh = 4, dy/dx = 8x.
  Tensor x = param(1.5);
  Tensor h = x * x;
  h.retain_grad();
  Tensor g = x * 2.0;  // not retained
  Tensor y = h * 3.0 + h + g;
  y.backward();
  BOOST_TEST(h.grad().item() == 4.0);
  BOOST_TEST(x.grad().item() == 8.0 * 1.5 + 2.0);
  BOOST_CHECK_EXCEPTION(g.grad(), GraphError,
                        message_is("grad: 'mul_scalar' is an intermediate tensor; call "
                                   "retain_grad() on it before backward() to keep its gradient"));
}

BOOST_AUTO_TEST_CASE(no_grad_guard_records_nothing) {
  Tensor x = param(2.0);
  {
    NoGradGuard guard;
    BOOST_TEST(!is_grad_enabled());
    { NoGradGuard nested; }
    BOOST_TEST(!is_grad_enabled());
    Tensor y = x * x + 1.0;
    BOOST_TEST(!y.requires_grad());
    BOOST_TEST(y.is_leaf());
    BOOST_TEST(y.item() == 5.0);
    BOOST_CHECK_THROW(y.backward(), GraphError);
  }
  BOOST_TEST(is_grad_enabled());
  BOOST_TEST((x * x).requires_grad());
}

BOOST_AUTO_TEST_CASE(detach_cuts_the_graph) {
  // y = x · detach(x): only the first factor is differentiated, dy/dx = x.
  Tensor x = param(3.0);
  Tensor d = x.detach();
  BOOST_TEST(!d.requires_grad());
  BOOST_TEST(d.is_leaf());
  BOOST_TEST(d.item() == 3.0);
  Tensor y = x * d;
  y.backward();
  BOOST_TEST(x.grad().item() == 3.0);
  // The copy is independent of the original value.
  x.mutable_value().fill_(5.0);
  BOOST_TEST(d.item() == 3.0);
}

BOOST_AUTO_TEST_CASE(grad_of_a_tensor_without_requires_grad_throws) {
  Tensor c = tensor({1.0, 2.0}, kFloat64);
  BOOST_CHECK_EXCEPTION(c.grad(), GraphError,
                        message_is("grad: this tensor (op 'leaf', shape (2)) does not require "
                                   "grad, so it has no gradient"));
  Tensor x = param(1.0);
  BOOST_CHECK_EXCEPTION(x.grad(), GraphError,
                        message_is("grad: no gradient yet for this tensor (op 'leaf'): call "
                                   "backward() first"));
}

BOOST_AUTO_TEST_CASE(mixing_dtypes_throws) {
  Tensor a = zeros({2}, kFloat32);
  Tensor b = zeros({2}, kFloat64);
  BOOST_CHECK_EXCEPTION(add(a, b), DTypeError,
                        message_is("add: dtypes must match: lhs float32, rhs float64"));
}

BOOST_AUTO_TEST_CASE(engine_rejects_wrong_gradients_from_a_backward) {
  Tensor x = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  Tensor bad_shape = record("user_bad_shape", x.value(), {x}, [](const Node&, const Tensor&) {
    return Grads{zeros({3}, kFloat64)};
  });
  BOOST_CHECK_EXCEPTION(
      bad_shape.backward(Array::zeros({2}, kFloat64)), ShapeError,
      message_is("backward of 'user_bad_shape': gradient of input 0 must have the input's shape: "
                 "gradient (3), input (2)"));
  Tensor bad_count = record("user_bad_count", x.value(), {x}, [](const Node&, const Tensor& dy) {
    return Grads{dy, dy};
  });
  BOOST_CHECK_EXCEPTION(bad_count.backward(Array::zeros({2}, kFloat64)), GraphError,
                        message_is("backward of 'user_bad_count' returned 2 gradients for 1 inputs"));
  Tensor bad_dtype = record("user_bad_dtype", x.value(), {x}, [](const Node&, const Tensor&) {
    return Grads{zeros({2}, kFloat32)};
  });
  BOOST_CHECK_THROW(bad_dtype.backward(Array::zeros({2}, kFloat64)), DTypeError);
  BOOST_TEST(!x.has_grad());
}

BOOST_AUTO_TEST_CASE(requires_grad_flows_only_from_inputs) {
  Tensor x = param(1.0);
  Tensor c = scalar(2.0, kFloat64);
  BOOST_TEST((c * c).requires_grad() == false);
  BOOST_TEST((c * x).requires_grad() == true);
  BOOST_TEST(!(c * x).is_leaf());
}

// Note [Version counters]: a value written after the forward pass makes the
// backward that reads it an error, not a wrong gradient (nor, for a new
// shape, a buffer overrun).
BOOST_AUTO_TEST_CASE(a_value_changed_after_forward_is_a_graph_error) {
  Tensor w = param(1.0);
  Tensor l = sum(square(w));
  w.mutable_value().fill_(10);  // would give 20 instead of 2
  BOOST_CHECK_EXCEPTION(
      l.backward(), GraphError,
      message_is("backward of 'square': input 0 (a leaf, shape ()) was modified in place after "
                 "the forward pass (version 1, recorded at version 0); compute the forward pass "
                 "again after changing it"));
  Tensor a = tensor({{1.0, 2.0}}, kFloat64).requires_grad_();
  Tensor b = tensor({{3.0}, {4.0}}, kFloat64).requires_grad_();
  Tensor y = matmul(a, b);
  b.mutable_value() = Array::zeros({5, 5}, kFloat64);  // a new shape
  BOOST_CHECK_EXCEPTION(y.backward(Array::full({1, 1}, 1.0, kFloat64)), GraphError,
                        message_contains("backward of 'matmul': input 1 (a leaf, shape (5, 5))"));
}

BOOST_AUTO_TEST_CASE(optimiser_updates_between_steps_stay_legal) {
  Tensor w = param(2.0);
  for (int step = 0; step < 3; ++step) {
    Tensor l = square(w);
    l.backward();
    NoGradGuard no_grad;
    w.mutable_value().set(0, w.value().item() - 0.25 * w.grad().item());  // 2w: w -> w/2
    w.zero_grad();
  }
  BOOST_TEST(w.value().item() == 0.25);
  BOOST_TEST(w.version() == 3u);
}

BOOST_AUTO_TEST_CASE(tensor_hooks_see_and_replace_gradients) {
  Tensor x = param(1.5);
  Tensor h = x * 3.0;
  std::vector<double> seen;
  HookHandle on_h = h.register_hook([&](const Tensor& g) {
    seen.push_back(g.item());
    return g * 2.0;  // doubles dL/dh
  });
  HookHandle on_x = x.register_hook([&](const Tensor& g) {
    seen.push_back(g.item());
    return Tensor();  // keeps it
  });
  std::vector<double> ready;  // the accumulated gradient, once per backward
  x.register_post_accumulate_grad_hook([&](const Tensor& leaf) { ready.push_back(leaf.grad().item()); });
  (h * 1.0).backward();
  BOOST_TEST(x.grad().item() == 6.0);  // 2 · 3
  BOOST_TEST(seen == (std::vector<double>{1.0, 6.0}));
  BOOST_TEST(ready == (std::vector<double>{6.0}));
  on_h.remove();
  on_x.remove();
  x.zero_grad();
  Tensor h2 = x * 3.0;
  h2.backward();
  BOOST_TEST(x.grad().item() == 3.0);
  BOOST_TEST(seen.size() == 2u);
  BOOST_TEST(ready == (std::vector<double>{6.0, 3.0}));
  BOOST_CHECK_EXCEPTION(scalar(1.0).register_hook([](const Tensor& g) { return g; }), GraphError,
                        message_contains("does not require grad"));
}

BOOST_AUTO_TEST_CASE(step_callback_visits_ops_in_engine_order) {
  Tensor x = param(2.0);
  Tensor y = square(x) * 3.0;  // square (older), then mul_scalar
  std::vector<std::string> ops;
  std::vector<double> in, out;
  BackwardOptions options;
  options.on_step = [&](const BackwardStep& s) {
    ops.push_back(s.node.op);
    in.push_back(s.grad_out.item());
    out.push_back(s.grad_inputs[0].item());
  };
  backward({y}, {}, options);
  BOOST_TEST(ops == (std::vector<std::string>{"mul_scalar", "square"}));
  BOOST_TEST(in == (std::vector<double>{1.0, 3.0}));
  BOOST_TEST(out == (std::vector<double>{3.0, 12.0}));  // 3, then 3 · 2x
}

BOOST_AUTO_TEST_CASE(post_accumulate_hooks_fire_when_the_gradient_is_final) {
  // y = sum(relu(x w1) w2): w2's gradient is final once the second matmul's
  // backward ran, before relu's and the first matmul's (Note [Leaves when
  // ready]); the leaves are the oldest nodes, so creation order alone would
  // put both hooks last.
  Tensor w1 = tensor({{1.0, -2.0}, {0.5, 0.5}}).requires_grad_();
  Tensor w2 = tensor({{2.0}, {-1.0}}).requires_grad_();
  Tensor x = tensor({{1.0, 2.0}});
  Tensor y = sum(matmul(relu(matmul(x, w1)), w2));
  std::vector<std::string> events;
  w1.register_post_accumulate_grad_hook([&](const Tensor&) { events.push_back("w1 ready"); });
  w2.register_post_accumulate_grad_hook([&](const Tensor&) { events.push_back("w2 ready"); });
  BackwardOptions options;
  options.on_step = [&](const BackwardStep& s) { events.push_back(s.node.op); };
  backward({y}, {}, options);
  BOOST_TEST(events == (std::vector<std::string>{"sum", "matmul", "w2 ready", "relu", "matmul",
                                                 "w1 ready"}),
             boost::test_tools::per_element());
  BOOST_TEST(w2.grad().at(0) == 2.0);  // relu(x w1) = relu(2, -1) = (2, 0)
  BOOST_TEST(w1.grad().at(0) == 2.0);  // x0 · w2[0], the unit relu passes
  BOOST_TEST(w1.grad().at(1) == 0.0);  // the unit relu zeroed
}

BOOST_AUTO_TEST_CASE(int64_tensors_never_require_grad) {
  Tensor labels = tensor({2, 0, 1});
  BOOST_CHECK(labels.dtype() == kInt64);
  BOOST_CHECK_EXCEPTION(labels.requires_grad_(), DTypeError,
                        message_is("requires_grad_: only floating-point tensors can require "
                                   "gradients: tensor int64"));
  BOOST_CHECK_EXCEPTION(relu(labels), DTypeError,
                        message_is("relu: expected float32 or float64: input int64"));
}

BOOST_AUTO_TEST_CASE(to_keeps_the_graph_and_converts_the_gradient_back) {
  Tensor x = tensor({1.5, -2.0}).requires_grad_();  // float32
  Tensor y = x.to(kFloat64);
  BOOST_CHECK(y.dtype() == kFloat64);
  sum(y * y).backward();
  BOOST_CHECK(x.grad().dtype() == kFloat32);
  BOOST_TEST(x.grad().at(0) == 3.0);
  BOOST_TEST(x.grad().at(1) == -4.0);
  BOOST_TEST(!x.to(kInt64).requires_grad());
  BOOST_TEST(x.to(kInt64).value().at(1) == -2.0);
}

BOOST_AUTO_TEST_SUITE_END()
