// Tests for models/module.h: parameter names and order through a nested
// tree, describe(), train/eval propagation, to(kFloat64), state_dict and
// load_state_dict (round trip, every error, nothing changed on a rejected
// load), buffers, and the naming rules.
#include <boost/test/unit_test.hpp>
#include <memory>

#include "framework/factory.h"
#include "models/layers/activations.h"
#include "models/layers/linear.h"
#include "models/sequential.h"
#include "tests/test_messages.h"
#include "tests/test_values.h"

using namespace xgrad;
using xgrad::testing::message_is;

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

BOOST_AUTO_TEST_SUITE_END()
