// Tests for models/module.h: parameter names and order through a nested
// tree, describe(), train/eval propagation, to(kFloat64), state_dict and
// load_state_dict (round trip, every error, nothing changed on a rejected
// load), buffers, the naming rules, modules of several inputs, and module
// hooks (forward pre-hooks, forward hooks, full backward hooks: the shapes
// and values they see, replacements, removal).
#include <boost/test/unit_test.hpp>
#include <memory>

#include "framework/engine.h"
#include "framework/factory.h"
#include "framework/functional.h"
#include "framework/grad_mode.h"
#include "models/layers/activations.h"
#include "models/layers/linear.h"
#include "models/sequential.h"
#include "ops/arithmetic.h"
#include "ops/matmul.h"
#include "ops/sum.h"
#include "tests/test_messages.h"
#include "tests/test_values.h"

using namespace xgrad;
using xgrad::testing::check_values;
using xgrad::testing::message_is;
using xgrad::testing::same_bits;

namespace {
// A module exercising the protected registration API.
class Probe : public Module {
 public:
  Probe() {
    scale_ =
        register_parameter("scale", Tensor(Array::full({2}, 3.0, kFloat32)), ParamRole::kWeight);
    counter_ = register_buffer("counter", Array::full({1}, 5.0, kFloat64));
  }
  Tensor forward(const Tensor& x) override { return x; }
  std::string name() const override { return "Probe"; }
  Tensor add_param(const std::string& n) {
    return register_parameter(n, Tensor(Array::zeros({1}, kFloat32)), ParamRole::kBias);
  }
  void add_buffer(const std::string& n) { register_buffer(n, Array::zeros({1}, kFloat32)); }
  void add_child(const std::string& n, std::shared_ptr<Module> m) { register_module(n, m); }
  Array& counter() { return buffer(counter_); }

 private:
  Tensor scale_;
  std::size_t counter_;
};

// A module of two inputs: y = a ⊙ b + w (w broadcast over rows).
class Gate : public Module {
 public:
  Gate() { w_ = register_parameter("w", tensor({0.5, -1.0, 2.0}, kFloat64), ParamRole::kBias); }
  Tensor forward_many(const std::vector<Tensor>& in) override {
    if (in.size() != 2) throw ValueError("Gate: takes (a, b)");
    return in[0] * in[1] + w_;
  }
  std::string name() const override { return "Gate"; }

 private:
  Tensor w_;
};

// Overrides neither forward.
class Empty : public Module {
 public:
  std::string name() const override { return "Empty"; }
};

Tensor rows(std::size_t n, std::size_t m, double start, bool requires_grad = false) {
  Array a = Array::empty({n, m}, kFloat64);
  for (std::size_t i = 0; i < a.size(); ++i) a.set(i, start + 0.25 * double(i));
  return Tensor(a, requires_grad);
}

std::shared_ptr<Sequential> make_tree(std::uint64_t seed) {
  Generator gen(seed);
  auto inner = std::make_shared<Sequential>();
  inner->add(std::make_shared<Linear>(4, 2, gen));
  auto root = std::make_shared<Sequential>();
  root->add(std::make_shared<Linear>(3, 4, gen)).add(std::make_shared<ReLU>()).add(inner);
  return root;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(models_module_tests)

BOOST_AUTO_TEST_CASE(parameter_names_and_order) {
  auto tree = make_tree(1);
  std::vector<Parameter> p = tree->parameters();
  BOOST_TEST_REQUIRE(p.size() == 4u);
  BOOST_TEST(p[0].name == "0.weight");
  BOOST_TEST(p[1].name == "0.bias");
  BOOST_TEST(p[2].name == "2.0.weight");
  BOOST_TEST(p[3].name == "2.0.bias");
  BOOST_TEST((p[0].role == ParamRole::kWeight && p[1].role == ParamRole::kBias));
  BOOST_TEST(p[2].tensor.shape() == Shape({2, 4}));
  BOOST_TEST(tree->parameter_count() == 4u * 3 + 4 + 2 * 4 + 2);
  for (const Parameter& q : p) BOOST_TEST(q.tensor.requires_grad());
  // The handles share the layer's nodes.
  BOOST_TEST(p[0].tensor.node() == tree->at<Linear>(0)->weight().node());
}

BOOST_AUTO_TEST_CASE(describe_reads_as_a_tree) {
  auto tree = make_tree(1);
  BOOST_TEST(tree->describe() ==
             "Sequential\n"
             "  (0) Linear(3 -> 4)  [weight (4, 3), bias (4)] 16 params\n"
             "  (1) ReLU\n"
             "  (2) Sequential\n"
             "    (0) Linear(4 -> 2)  [weight (2, 4), bias (2)] 10 params\n"
             "total parameters: 26\n");
}

BOOST_AUTO_TEST_CASE(train_and_eval_reach_every_module) {
  auto tree = make_tree(1);
  auto all = [&](bool training) {
    bool ok = tree->is_training() == training;
    for (const auto& c : tree->children()) ok = ok && c.second->is_training() == training;
    auto inner = tree->at<Sequential>(2);
    for (const auto& c : inner->children()) ok = ok && c.second->is_training() == training;
    return ok;
  };
  BOOST_TEST(all(true));
  tree->eval();
  BOOST_TEST(all(false));
  tree->train();
  BOOST_TEST(all(true));
}

BOOST_AUTO_TEST_CASE(to_float64_converts_parameters_not_buffers) {
  auto tree = make_tree(2);
  NamedArrays before = tree->state_dict();
  Tensor x = Tensor(Array::full({1, 3}, 1.0, kFloat32));
  tree->forward(x).backward(Array::full({1, 2}, 1.0, kFloat32));
  tree->to(kFloat64);
  for (const Parameter& p : tree->parameters()) {
    BOOST_TEST((p.tensor.dtype() == kFloat64));
    BOOST_TEST(!p.tensor.has_grad());  // gradients of the old dtype are dropped
  }
  NamedArrays after = tree->state_dict();
  for (std::size_t k = 0; k < before.size(); ++k) {
    BOOST_TEST(max_abs_diff(after[k].second.to(kFloat32), before[k].second) == 0.0);
  }
  Probe probe;
  probe.to(kFloat64);
  BOOST_TEST((probe.buffers()[0].second.dtype() == kFloat64));
  probe.to(kFloat32);
  BOOST_TEST((probe.buffers()[0].second.dtype() == kFloat64));  // buffers keep their dtype
}

BOOST_AUTO_TEST_CASE(state_dict_round_trip) {
  auto a = make_tree(3), b = make_tree(4);
  BOOST_TEST(max_abs_diff(a->parameters()[0].tensor.value(), b->parameters()[0].tensor.value()) >
             0);
  b->load_state_dict(a->state_dict());
  xgrad::testing::check_same_arrays(a->state_dict(), b->state_dict());
  // Copies: changing the loaded model does not touch the source.
  b->parameters()[0].tensor.mutable_value().fill_(0);
  BOOST_TEST(max_abs_diff(a->parameters()[0].tensor.value(), b->parameters()[0].tensor.value()) >
             0);
}

BOOST_AUTO_TEST_CASE(load_errors_name_the_entry_and_change_nothing) {
  auto model = make_tree(5);
  const NamedArrays good = model->state_dict();
  NamedArrays missing(good.begin() + 1, good.end());
  BOOST_CHECK_EXCEPTION(model->load_state_dict(missing), ValueError,
                        message_is("load_state_dict: missing parameter '0.weight'"));
  NamedArrays shape = good;
  shape[2].second = Array::zeros({4, 2}, kFloat32);
  BOOST_CHECK_EXCEPTION(
      model->load_state_dict(shape), ShapeError,
      message_is("load_state_dict: shape of '2.0.weight' differs: stored (4, 2), model (2, 4)"));
  NamedArrays dtype = good;
  dtype[1].second = dtype[1].second.to(kFloat64);
  BOOST_CHECK_EXCEPTION(
      model->load_state_dict(dtype), DTypeError,
      message_is("load_state_dict: dtype of '0.bias' differs: stored float64, model float32"));
  NamedArrays extra = good;
  extra.emplace_back("3.weight", Array::zeros({1}, kFloat32));
  BOOST_CHECK_EXCEPTION(model->load_state_dict(extra), ValueError,
                        message_is("load_state_dict: unexpected entry '3.weight'"));
  NamedArrays twice = good;
  twice.push_back(good[0]);
  BOOST_CHECK_EXCEPTION(model->load_state_dict(twice), ValueError,
                        message_is("load_state_dict: entry '0.weight' appears twice"));
  // A partially valid state (first entry fine, a later one bad) changed nothing.
  NamedArrays partial = good;
  partial[0].second.fill_(7);
  partial[3].second = Array::zeros({3}, kFloat32);
  BOOST_CHECK_THROW(model->load_state_dict(partial), ShapeError);
  xgrad::testing::check_same_arrays(model->state_dict(), good);
}

BOOST_AUTO_TEST_CASE(buffers_are_state_but_not_parameters) {
  auto root = std::make_shared<Sequential>();
  auto probe = std::make_shared<Probe>();
  root->add(probe);
  BOOST_TEST(root->parameters().size() == 1u);
  NamedArrays s = root->state_dict();
  BOOST_TEST_REQUIRE(s.size() == 2u);
  BOOST_TEST(s[0].first == "0.scale");
  BOOST_TEST(s[1].first == "0.counter");
  BOOST_TEST(s[1].second.at(0) == 5.0);
  s[1].second.set(0, 9.0);
  root->load_state_dict(s);
  BOOST_TEST(probe->counter().at(0) == 9.0);
  NamedArrays no_buffer(s.begin(), s.begin() + 1);
  BOOST_CHECK_EXCEPTION(root->load_state_dict(no_buffer), ValueError,
                        message_is("load_state_dict: missing buffer '0.counter'"));
}

BOOST_AUTO_TEST_CASE(names_must_be_unique_and_dot_free) {
  Probe probe;
  BOOST_CHECK_EXCEPTION(probe.add_param("scale"), ValueError,
                        message_is("Module: name 'scale' is already registered"));
  BOOST_CHECK_EXCEPTION(probe.add_buffer("counter"), ValueError,
                        message_is("Module: name 'counter' is already registered"));
  BOOST_CHECK_EXCEPTION(probe.add_child("scale", std::make_shared<ReLU>()), ValueError,
                        message_is("Module: name 'scale' is already registered"));
  BOOST_CHECK_EXCEPTION(probe.add_param("a.b"), ValueError,
                        message_is("Module: name 'a.b' must be non-empty and contain no '.'"));
  BOOST_CHECK_EXCEPTION(probe.add_param(""), ValueError,
                        message_is("Module: name '' must be non-empty and contain no '.'"));
  BOOST_CHECK_EXCEPTION(probe.add_child("c", nullptr), ValueError,
                        message_is("register_module: 'c' is a null module"));
}

BOOST_AUTO_TEST_CASE(zero_grad_clears_every_parameter) {
  auto tree = make_tree(6);
  tree->forward(Tensor(Array::full({2, 3}, 1.0, kFloat32)))
      .backward(Array::full({2, 2}, 1.0, kFloat32));
  for (const Parameter& p : tree->parameters()) BOOST_TEST(p.tensor.has_grad());
  tree->zero_grad();
  for (const Parameter& p : tree->parameters()) BOOST_TEST(!p.tensor.has_grad());
}

BOOST_AUTO_TEST_CASE(modules_of_several_inputs) {
  auto gate = std::make_shared<Gate>();
  const Tensor a = rows(2, 3, 1), b = rows(2, 3, -1);
  const Tensor y = (*gate)(a, b);
  for (std::size_t i = 0; i < 6; ++i) {
    const double w = std::vector<double>{0.5, -1.0, 2.0}[i % 3];
    BOOST_TEST(y.value().at(i) == a.value().at(i) * b.value().at(i) + w);
  }
  BOOST_TEST(same_bits((*gate)({a, b}).value(), y.value()));
  // In a Sequential the first layer takes every input; the rest, one.
  Sequential seq;
  seq.add(gate).add(std::make_shared<ReLU>());
  const Tensor z = seq(a, b);
  for (std::size_t i = 0; i < 6; ++i) BOOST_TEST(z.value().at(i) == std::max(0.0, y.value().at(i)));
  BOOST_CHECK_EXCEPTION((*gate)(a), ValueError, message_is("Gate: takes (a, b)"));
  // A one-input module called with two.
  Probe probe;
  BOOST_CHECK_EXCEPTION(probe(a, b), ValueError, message_is("Probe: takes one input, got 2"));
  Empty empty;
  BOOST_CHECK_EXCEPTION(empty(a), GraphError,
                        message_is("Empty: the module overrides neither forward(x) nor "
                                   "forward_many(inputs)"));
}

BOOST_AUTO_TEST_CASE(forward_hooks_see_shapes_and_may_replace) {
  Generator gen(1);
  auto lin = std::make_shared<Linear>(3, 2, gen, true, kFloat64);
  const Tensor x = rows(4, 3, 0);
  const Array plain = (*lin)(x).value();
  std::vector<Shape> seen;
  auto pre = lin->register_forward_pre_hook([&](Module& m, const std::vector<Tensor>& in) {
    BOOST_TEST(&m == lin.get());
    seen.push_back(in.at(0).shape());
    return std::vector<Tensor>{in[0] * 2.0};  // doubles the input
  });
  auto post =
      lin->register_forward_hook([&](Module&, const std::vector<Tensor>& in, const Tensor& out) {
        seen.push_back(in.at(0).shape());
        seen.push_back(out.shape());
        return out + 1.0;
      });
  const Tensor y = (*lin)(x);
  BOOST_TEST_REQUIRE(seen.size() == 3u);
  BOOST_TEST(seen[0] == (Shape{4, 3}));
  BOOST_TEST(seen[1] == (Shape{4, 3}));
  BOOST_TEST(seen[2] == (Shape{4, 2}));
  // y = W (2x) + b + 1 = 2 (Wx + b) - b + 1
  const Array& bias = lin->bias().value();
  for (std::size_t i = 0; i < 8; ++i) {
    BOOST_TEST(std::abs(y.value().at(i) - (2 * plain.at(i) - bias.at(i % 2) + 1)) < 1e-12);
  }
  // forward() itself runs no hooks (as PyTorch's module.forward).
  BOOST_TEST(same_bits(lin->forward(x).value(), plain));
  pre.remove();
  post.remove();
  pre.remove();  // twice: a no-op
  BOOST_TEST(same_bits((*lin)(x).value(), plain));
  BOOST_TEST(seen.size() == 3u);
}

BOOST_AUTO_TEST_CASE(full_backward_hooks_see_the_gradients_of_inputs_and_output) {
  Generator gen(2);
  auto l0 = std::make_shared<Linear>(3, 4, gen, true, kFloat64);
  auto l2 = std::make_shared<Linear>(4, 2, gen, true, kFloat64);
  Sequential net({l0, std::make_shared<Tanh>(), l2});
  const Tensor x = rows(5, 3, -1);  // data: does not require grad
  const Array u = gen.normal({5, 2}, 0, 1, kFloat64);
  std::vector<std::vector<Tensor>> in0, out0, in2, out2;
  l0->register_full_backward_hook(
      [&](Module&, const std::vector<Tensor>& gi, const std::vector<Tensor>& go) {
        in0.push_back(gi);
        out0.push_back(go);
        return std::vector<Tensor>{};
      });
  l2->register_full_backward_hook(
      [&](Module&, const std::vector<Tensor>& gi, const std::vector<Tensor>& go) {
        in2.push_back(gi);
        out2.push_back(go);
        return std::vector<Tensor>{};
      });
  net(x).backward(u);
  BOOST_TEST_REQUIRE(in2.size() == 1u);  // once per pass
  BOOST_TEST_REQUIRE(in0.size() == 1u);
  // Layer 2: grad_output is the upstream gradient u; grad_input u · W2.
  BOOST_TEST(out2[0].at(0).shape() == (Shape{5, 2}));
  BOOST_TEST(same_bits(out2[0][0].value(), u));
  BOOST_TEST(in2[0].at(0).shape() == (Shape{5, 4}));
  const Array& w2 = l2->weight().value();
  for (std::size_t n = 0; n < 5; ++n) {
    for (std::size_t j = 0; j < 4; ++j) {
      double want = 0;
      for (std::size_t o = 0; o < 2; ++o) want += u.at(n * 2 + o) * w2.at(o * 4 + j);
      BOOST_TEST(std::abs(in2[0][0].value().at(n * 4 + j) - want) < 1e-12);
    }
  }
  // Layer 0: its input is data, so grad_input is undefined; grad_output (5, 4).
  BOOST_TEST(in0[0].size() == 1u);
  BOOST_TEST(!in0[0][0].defined());
  BOOST_TEST(out0[0].at(0).shape() == (Shape{5, 4}));
}

BOOST_AUTO_TEST_CASE(a_backward_hook_that_changes_a_gradient_changes_the_result) {
  Generator gen(3);
  auto l0 = std::make_shared<Linear>(3, 4, gen, true, kFloat64);
  auto l2 = std::make_shared<Linear>(4, 2, gen, true, kFloat64);
  Sequential net({l0, std::make_shared<Tanh>(), l2});
  const Tensor x = rows(5, 3, -1);
  auto grads = [&] {
    net.zero_grad();
    sum(net(x) * net(x)).backward();
    std::vector<Array> g;
    for (const Parameter& p : net.parameters()) g.push_back(p.tensor.grad());
    return g;
  };
  const std::vector<Array> plain = grads();
  // Layer 2 triples the gradient it passes to its input: layer 0's gradients
  // triple, layer 2's own are unchanged.
  ModuleHookHandle h = l2->register_full_backward_hook(
      [](Module&, const std::vector<Tensor>& gi, const std::vector<Tensor>&) {
        return std::vector<Tensor>{gi[0] * 3.0};
      });
  const std::vector<Array> hooked = grads();
  for (std::size_t k = 0; k < 2; ++k) {  // 0.weight, 0.bias
    for (std::size_t i = 0; i < plain[k].size(); ++i) {
      BOOST_TEST(std::abs(hooked[k].at(i) - 3 * plain[k].at(i)) < 1e-12);
    }
  }
  BOOST_TEST(same_bits(hooked[2], plain[2]));
  BOOST_TEST(same_bits(hooked[3], plain[3]));
  h.remove();
  const std::vector<Array> removed = grads();
  for (std::size_t k = 0; k < 4; ++k) BOOST_TEST(same_bits(removed[k], plain[k]));
}

BOOST_AUTO_TEST_CASE(backward_hooks_of_a_module_of_two_inputs) {
  auto gate = std::make_shared<Gate>();
  Tensor a = rows(2, 3, 1, true), b = rows(2, 3, -1, false), c = rows(2, 3, 2, true);
  std::vector<Tensor> gi_seen, go_seen;
  gate->register_full_backward_hook(
      [&](Module&, const std::vector<Tensor>& gi, const std::vector<Tensor>& go) {
        gi_seen = gi;
        go_seen = go;
        return std::vector<Tensor>{gi[0] * 0.0, Tensor()};  // a's gradient zeroed
      });
  const Tensor u = rows(2, 3, 0.5);
  sum((*gate)(a, b * c) * u).backward();
  BOOST_TEST_REQUIRE(gi_seen.size() == 2u);
  // grad a = u ⊙ (b c), grad (b c) = u ⊙ a: as the hook saw them.
  for (std::size_t i = 0; i < 6; ++i) {
    const double bc = b.value().at(i) * c.value().at(i);
    BOOST_TEST(std::abs(gi_seen[0].value().at(i) - u.value().at(i) * bc) < 1e-12);
    BOOST_TEST(std::abs(gi_seen[1].value().at(i) - u.value().at(i) * a.value().at(i)) < 1e-12);
    BOOST_TEST(go_seen.at(0).value().at(i) == u.value().at(i));
    // The replacement reached a; c's gradient flowed on unchanged.
    BOOST_TEST(a.grad().at(i) == 0.0);
    BOOST_TEST(std::abs(c.grad().at(i) - u.value().at(i) * a.value().at(i) * b.value().at(i)) <
               1e-12);
  }
  // The layer's own parameter got its gradient: Σ over rows of u.
  check_values(gate->parameters()[0].tensor.grad(), {0.5 + 1.25, 0.75 + 1.5, 1.0 + 1.75}, 1e-12);
}

BOOST_AUTO_TEST_CASE(backward_hooks_fire_in_a_functional_pass_and_without_grad_mode_not_at_all) {
  Generator gen(4);
  auto lin = std::make_shared<Linear>(3, 2, gen, true, kFloat64);
  const Tensor x = rows(2, 3, 0, true);
  int calls = 0;
  lin->register_full_backward_hook(
      [&](Module&, const std::vector<Tensor>& gi, const std::vector<Tensor>&) {
        ++calls;
        BOOST_TEST(!gi[0].defined());  // x's gradient is not asked for
        return std::vector<Tensor>{};
      });
  const Tensor y = sum((*lin)(x));
  const std::vector<Tensor> g = grad({y}, {lin->weight()});
  BOOST_TEST(calls == 1);
  {
    NoGradGuard no_grad;
    const Tensor y0 = (*lin)(x);
    BOOST_TEST(!y0.requires_grad());  // nothing recorded, no hook wrapping
    BOOST_TEST(y0.node()->inputs.empty());
  }
  BOOST_TEST(calls == 1);
}

BOOST_AUTO_TEST_CASE(hook_free_calls_record_only_the_layer) {
  Generator gen(5);
  Linear lin(3, 2, gen, true, kFloat64);
  const Tensor x = rows(2, 3, 0, true);
  BOOST_TEST(lin(x).op() == "linear");
  auto h = lin.register_full_backward_hook(
      [](Module&, const std::vector<Tensor>&, const std::vector<Tensor>&) {
        return std::vector<Tensor>{};
      });
  BOOST_TEST(lin(x).node()->inputs.at(0).node->op == std::string("reshape"));  // wrapped
  h.remove();
  BOOST_TEST(lin(x).node()->inputs.at(0).node == x.node());  // direct again
  BOOST_CHECK_EXCEPTION(lin.register_forward_hook(nullptr), ValueError,
                        message_is("Linear(3 -> 2): register_forward_hook: the hook is empty"));
}

BOOST_AUTO_TEST_SUITE_END()
