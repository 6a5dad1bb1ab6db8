// Tests for models/mlp.h: the layer structure (logits: no activation after
// the last layer; dropout after hidden activations), names, parameter
// count, a gradcheck of a whole float64 Mlp with its parameters as inputs,
// dropout not changing the initial weights, eval determinism, a bit-exact
// resume with dropout, and option errors.
#include <boost/test/unit_test.hpp>
#include <memory>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "models/init.h"
#include "models/layers/dropout.h"
#include "models/layers/linear.h"
#include "models/mlp.h"
#include "ops/linear.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::message_is;

namespace {
std::vector<std::string> layer_names(const Mlp& m) {
  std::vector<std::string> out;
  for (const auto& c : m.children()) out.push_back(c.second->name());
  return out;
}

// The Mlp's forward rebuilt from given tensors: its own layers in order,
// with each Linear's weight and bias taken from `params` (in parameters()
// order) instead of the module's. gradcheck can then treat the parameters
// as inputs.
Tensor forward_with(Mlp& mlp, const Tensor& x, const std::vector<Tensor>& params) {
  Tensor h = x;
  std::size_t k = 0;
  for (std::size_t i = 0; i < mlp.size(); ++i) {
    if (mlp.at<Linear>(i)) {
      h = linear(h, params[k], params[k + 1]);
      k += 2;
    } else {
      h = mlp[i].forward(h);  // parameter-free: activation (or dropout)
    }
  }
  return h;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(models_mlp_tests)

BOOST_AUTO_TEST_CASE(structure_and_names) {
  Generator gen(1);
  Mlp plain({{784, 256, 10}, Activation::kReLU}, gen);
  BOOST_TEST(plain.name() == "Mlp(784-256-10, relu)");
  BOOST_TEST(layer_names(plain) ==
                 std::vector<std::string>({"Linear(784 -> 256)", "ReLU", "Linear(256 -> 10)"}),
             boost::test_tools::per_element());
  BOOST_TEST(plain.parameter_count() == 784u * 256 + 256 + 256 * 10 + 10);
  Mlp deep({{5, 4, 3, 2}, Activation::kTanh, 0.5}, gen);
  BOOST_TEST(deep.name() == "Mlp(5-4-3-2, tanh, dropout=0.5)");
  BOOST_TEST(layer_names(deep) == std::vector<std::string>(
                                      {"Linear(5 -> 4)", "Tanh", "Dropout(p=0.5)", "Linear(4 -> 3)",
                                       "Tanh", "Dropout(p=0.5)", "Linear(3 -> 2)"}),
             boost::test_tools::per_element());
  std::vector<Parameter> p = deep.parameters();
  BOOST_TEST(p[2].name == "3.weight");
  BOOST_TEST(p[5].name == "6.bias");
  BOOST_TEST(deep.describe() ==
             "Mlp(5-4-3-2, tanh, dropout=0.5)\n"
             "  (0) Linear(5 -> 4)  [weight (4, 5), bias (4)] 24 params\n"
             "  (1) Tanh\n"
             "  (2) Dropout(p=0.5)\n"
             "  (3) Linear(4 -> 3)  [weight (3, 4), bias (3)] 15 params\n"
             "  (4) Tanh\n"
             "  (5) Dropout(p=0.5)\n"
             "  (6) Linear(3 -> 2)  [weight (2, 3), bias (2)] 8 params\n"
             "total parameters: 47\n");
  Mlp single({{3, 2}, Activation::kSigmoid}, gen);  // no hidden layer: one Linear, logits
  BOOST_TEST(single.size() == 1u);
}

// Logits: the output is the last Linear's affine map, unbounded (a sigmoid
// or softmax output layer would keep it in (0, 1)).
BOOST_AUTO_TEST_CASE(outputs_logits) {
  Generator gen(2);
  Mlp m({{2, 3, 1}, Activation::kSigmoid, 0, kFloat64}, gen);
  constant_(m.parameters()[2].tensor, 100.0);  // last weight
  Tensor y = m(full({1, 2}, 1.0, kFloat64));
  BOOST_TEST(y.value().at(0) > 1.0);
}

BOOST_AUTO_TEST_CASE(gradcheck_whole_mlp_with_parameters_as_inputs) {
  for (Activation act : {Activation::kSigmoid, Activation::kTanh, Activation::kReLU}) {
    Generator gen(3);
    auto mlp = std::make_shared<Mlp>(MlpOptions{{4, 5, 3, 2}, act, 0, kFloat64}, gen);
    std::vector<Tensor> inputs{Tensor(gen.normal({3, 4}, 0, 1, kFloat64))};
    for (const Parameter& p : mlp->parameters()) inputs.push_back(Tensor(p.tensor.value()));
    // The rebuilt forward is the module's forward (same bits, same gradients).
    Tensor x = Tensor(inputs[0].value());
    Tensor y_module = (*mlp)(x);
    std::vector<Tensor> copies;
    for (std::size_t k = 1; k < inputs.size(); ++k) copies.emplace_back(inputs[k].value(), true);
    Tensor y_rebuilt = forward_with(*mlp, x, copies);
    BOOST_TEST(max_abs_diff(y_module.value(), y_rebuilt.value()) == 0.0);
    Array u = gen.normal(y_module.shape(), 0, 1, kFloat64);
    y_module.backward(u);
    y_rebuilt.backward(u);
    std::vector<Parameter> params = mlp->parameters();
    for (std::size_t k = 0; k < params.size(); ++k) {
      BOOST_TEST(max_abs_diff(params[k].tensor.grad(), copies[k].grad()) == 0.0, params[k].name);
    }
    auto f = [mlp](const std::vector<Tensor>& in) {
      return forward_with(*mlp, in[0], std::vector<Tensor>(in.begin() + 1, in.end()));
    };
    GradcheckResult r = gradcheck("Mlp(4-5-3-2, " + activation_name(act) + ")", f, inputs);
    BOOST_TEST(r.pass(), r.message());
    BOOST_TEST(r.inputs.size() == 7u);
  }
}

BOOST_AUTO_TEST_CASE(dropout_does_not_change_initial_weights) {
  Generator g1(4), g2(4);
  Mlp a({{6, 5, 4, 2}, Activation::kReLU}, g1);
  Mlp b({{6, 5, 4, 2}, Activation::kReLU, 0.3}, g2);
  std::vector<Parameter> pa = a.parameters(), pb = b.parameters();
  BOOST_TEST_REQUIRE(pa.size() == pb.size());
  for (std::size_t k = 0; k < pa.size(); ++k) {
    BOOST_TEST(max_abs_diff(pa[k].tensor.value(), pb[k].tensor.value()) == 0.0);
  }
  // The two dropout layers got different seeds.
  BOOST_TEST(b.at<Dropout>(2)->generator().seed() != b.at<Dropout>(5)->generator().seed());
}

BOOST_AUTO_TEST_CASE(eval_is_deterministic_and_resume_is_bit_exact) {
  Generator gen(5);
  Mlp a({{4, 8, 3}, Activation::kReLU, 0.5}, gen);
  Tensor x = Tensor(gen.normal({6, 4}, 0, 1, kFloat32));
  a.eval();
  BOOST_TEST(max_abs_diff(a(x).value(), a(x).value()) == 0.0);
  a.train();
  BOOST_TEST(max_abs_diff(a(x).value(), a(x).value()) > 0.0);  // fresh masks each call
  Generator other(6);
  Mlp b({{4, 8, 3}, Activation::kReLU, 0.5}, other);
  b.load_state_dict(a.state_dict());  // parameters and the dropout stream
  BOOST_TEST(max_abs_diff(a(x).value(), b(x).value()) == 0.0);
}

BOOST_AUTO_TEST_CASE(options_are_checked) {
  Generator gen(7);
  BOOST_CHECK_EXCEPTION(Mlp({{784}}, gen), ValueError,
                        message_is("Mlp: needs at least two sizes (input and output), got 1"));
  BOOST_CHECK_EXCEPTION(Mlp({{3, 0, 2}}, gen), ValueError,
                        message_is("Mlp: layer sizes must be positive"));
  BOOST_CHECK_EXCEPTION(Mlp({{3, 2}, Activation::kReLU, 1.0}, gen), ValueError,
                        message_is("Mlp: dropout must be in [0, 1), got 1"));
  Mlp m({{3, 2}}, gen);
  BOOST_CHECK_EXCEPTION(m(Tensor(Array::zeros({1, 4}, kFloat32))), ShapeError,
                        message_is("Linear(3 -> 2): input must have 3 columns: input (1, 4)"));
}

BOOST_AUTO_TEST_SUITE_END()
