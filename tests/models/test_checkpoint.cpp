// Checkpoints: model, optimiser state and extra entries round trip; a
// mismatched model is refused naming the entry, and left unchanged.
#include <boost/test/unit_test.hpp>

#include "framework/io/npz.h"
#include "models/checkpoint.h"
#include "models/layers/linear.h"
#include "models/sequential.h"
#include "tests/framework/temp_dir.h"
#include "tests/test_messages.h"
#include "tests/test_values.h"

namespace fs = std::filesystem;
using namespace xgrad;

namespace {

using xgrad::testing::check_same_arrays;
using xgrad::testing::message_is;

std::shared_ptr<Sequential> mlp(std::vector<std::size_t> widths, std::uint64_t seed) {
  Generator gen(seed);
  auto net = std::make_shared<Sequential>();
  for (std::size_t i = 0; i + 1 < widths.size(); ++i) {
    net->add(std::make_shared<Linear>(widths[i], widths[i + 1], gen));
  }
  return net;
}

// An optimiser with per-parameter state ("<param>.v", v ← v + g) that
// leaves the parameters alone: its state is easy to predict.
class Accumulate : public Optimizer {
 public:
  explicit Accumulate(std::vector<Parameter> params)
      : Optimizer("Accumulate", std::move(params), 0.1) {
    add_slots({{"v"}});
  }

 private:
  void update(const ParamUpdate& p) override {
    p.for_each<1>([](auto&, auto g, auto& v) { v += g; });
  }
};

// Gives every parameter of `net` the gradient `value` everywhere.
void set_grads(const Module& net, double value) {
  for (const Parameter& p : net.parameters()) {
    Tensor t = p.tensor;
    t.zero_grad();
    t.backward(Array::full(t.shape(), value, t.dtype()));
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(models_checkpoint_tests)

BOOST_AUTO_TEST_CASE(round_trip_of_model_optimizer_and_extra_entries) {
  fs::path dir = testing::temp_dir("checkpoint_round_trip");
  std::string path = (dir / "ckpt.npz").string();
  auto net = mlp({3, 4, 2}, 1);
  Accumulate opt(net->parameters());
  set_grads(*net, 0.25);
  opt.step();
  opt.step();  // every v = 0.5
  const NamedArrays extra{{"meta/epoch", Array::full({1}, 7.0, kFloat64)},
                          {"norm/mean", Array::full({3}, -0.5, kFloat32)}};
  save_checkpoint(path, *net, &opt, extra);

  std::vector<std::string> names;
  for (const auto& [name, a] : load_npz(path)) names.push_back(name);
  std::vector<std::string> expected = {"model/0.weight", "model/0.bias",     "model/1.weight",
                                       "model/1.bias",   "optim/step",       "optim/0.weight.v",
                                       "optim/0.bias.v", "optim/1.weight.v", "optim/1.bias.v",
                                       "meta/epoch",     "norm/mean"};
  BOOST_TEST(names == expected, boost::test_tools::per_element());

  auto other = mlp({3, 4, 2}, 2);
  Accumulate other_opt(other->parameters());
  NamedArrays loaded = load_checkpoint(path, *other, &other_opt);
  check_same_arrays(net->state_dict(), other->state_dict());
  BOOST_TEST(other_opt.step_count() == 2u);
  for (const auto& [name, v] : other_opt.state_dict()) {
    if (name != "step") BOOST_TEST(max_abs_diff(v, Array::full(v.shape(), 0.5, kFloat32)) == 0.0);
  }
  check_same_arrays(loaded, extra);
  // Without an optimiser the stored optimiser state is ignored.
  auto third = mlp({3, 4, 2}, 3);
  BOOST_TEST(load_checkpoint(path, *third, nullptr).size() == 2u);
  check_same_arrays(net->state_dict(), third->state_dict());
}

BOOST_AUTO_TEST_CASE(mismatched_models_are_refused_naming_the_parameter) {
  fs::path dir = testing::temp_dir("checkpoint_mismatch");
  std::string path = (dir / "ckpt.npz").string();
  auto net = mlp({3, 4, 2}, 1);
  save_checkpoint(path, *net, nullptr);

  auto wider = mlp({3, 5, 2}, 2);
  auto before = wider->state_dict();
  BOOST_CHECK_EXCEPTION(
      load_checkpoint(path, *wider, nullptr), FileError,
      message_is<FileError>(path + ": parameter 'model/0.weight' has shape (4, 3), "
                                   "the model's is (5, 3)"));
  BOOST_TEST(max_abs_diff(wider->state_dict()[0].second, before[0].second) == 0.0);

  auto deeper = mlp({3, 4, 2, 2}, 2);
  BOOST_CHECK_EXCEPTION(load_checkpoint(path, *deeper, nullptr), FileError,
                        message_is<FileError>(path + ": parameter 'model/2.weight' is missing (the "
                                                     "model Sequential has it)"));
  auto shallower = mlp({3, 4}, 2);
  BOOST_CHECK_EXCEPTION(
      load_checkpoint(path, *shallower, nullptr), FileError,
      message_is<FileError>(path + ": parameter 'model/1.bias' is not in the model "
                                   "Sequential"));
  auto f64 = mlp({3, 4, 2}, 2);
  f64->to(kFloat64);
  BOOST_CHECK_EXCEPTION(load_checkpoint(path, *f64, nullptr), FileError,
                        message_is<FileError>(path + ": parameter 'model/0.weight' is float32, the "
                                                     "model's is float64"));
}

// Issue 14 item 15: a name from the file is quoted short and escaped.
BOOST_AUTO_TEST_CASE(unknown_parameter_names_are_quoted_as_escaped_excerpts) {
  fs::path dir = testing::temp_dir("checkpoint_names");
  std::string path = (dir / "ckpt.npz").string();
  auto net = mlp({3, 2}, 1);
  save_checkpoint(path, *net, nullptr);
  NamedArrays all = load_npz(path);
  // (libzip writes no control bytes in names; UTF-8 is escaped all the same.)
  all.emplace_back("model/\xc3\xa9" + std::string(100, 'x'), Array::zeros({1}, kFloat32));
  save_npz(path, all);
  BOOST_CHECK_EXCEPTION(
      load_checkpoint(path, *net, nullptr), FileError,
      message_is<FileError>(path + ": parameter 'model/\\xc3\\xa9" + std::string(32, 'x') +
                            "'... (108 bytes) is not in the model Sequential"));
}

BOOST_AUTO_TEST_CASE(optimizer_state_mismatch_leaves_the_model_unchanged) {
  fs::path dir = testing::temp_dir("checkpoint_optim");
  std::string path = (dir / "ckpt.npz").string();
  auto net = mlp({3, 2}, 1);
  save_checkpoint(path, *net, nullptr);
  auto other = mlp({3, 2}, 2);
  auto before = other->state_dict();
  Accumulate opt(other->parameters());
  BOOST_CHECK_EXCEPTION(load_checkpoint(path, *other, &opt), FileError,
                        message_is<FileError>(path + ": optimizer state (optim/...) does not fit "
                                                     "Accumulate: Accumulate load_state_dict: "
                                                     "missing state 'step'"));
  BOOST_TEST(max_abs_diff(other->state_dict()[0].second, before[0].second) == 0.0);
}

BOOST_AUTO_TEST_CASE(reserved_extra_names) {
  fs::path dir = testing::temp_dir("checkpoint_reserved");
  auto net = mlp({3, 2}, 1);
  BOOST_CHECK_EXCEPTION(
      save_checkpoint((dir / "c.npz").string(), *net, nullptr,
                      {{"model/x", Array::zeros({1}, kFloat64)}}),
      ValueError,
      message_is<ValueError>("save_checkpoint: extra entry 'model/x' uses a reserved prefix "
                             "(model/ or optim/)"));
  BOOST_TEST(!fs::exists(dir / "c.npz"));
}

BOOST_AUTO_TEST_SUITE_END()
