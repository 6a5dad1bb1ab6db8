// Checkpoints: model, optimiser state and extra entries round trip; a
// mismatched model is refused naming the entry, and left unchanged.
#include <boost/test/unit_test.hpp>
#include <map>

#include "framework/io/npz.h"
#include "models/checkpoint.h"
#include "models/layers/linear.h"
#include "models/sequential.h"
#include "tests/framework/temp_dir.h"
#include "tests/test_messages.h"

namespace fs = std::filesystem;
using namespace xgrad;

namespace {

using xgrad::testing::message_is;

std::shared_ptr<Sequential> mlp(std::vector<std::size_t> widths, std::uint64_t seed) {
  Generator gen(seed);
  auto net = std::make_shared<Sequential>();
  for (std::size_t i = 0; i + 1 < widths.size(); ++i) {
    net->add(std::make_shared<Linear>(widths[i], widths[i + 1], gen));
  }
  return net;
}

// An optimiser with per-parameter state ("<param>.v") and a step count.
class Momentum : public Optimizer {
 public:
  explicit Momentum(std::vector<Parameter> params) : Optimizer(std::move(params), 0.1) {
    for (const Parameter& p : params_) v_.push_back(Array::zeros(p.tensor.shape(), kFloat32));
  }
  void step() override { step_ += 1; }
  std::string name() const override { return "Momentum"; }
  NamedArrays state_dict() const override {
    NamedArrays s{{"step", Array::scalar(step_, kFloat64)}};
    for (std::size_t i = 0; i < v_.size(); ++i) s.emplace_back(params_[i].name + ".v", v_[i]);
    return s;
  }
  void load_state_dict(const NamedArrays& s) override {
    std::map<std::string, Array> by_name(s.begin(), s.end());
    if (!by_name.count("step")) throw ValueError("Momentum: missing 'step'");
    for (const Parameter& p : params_) {
      if (!by_name.count(p.name + ".v")) throw ValueError("Momentum: missing '" + p.name + ".v'");
    }
    step_ = by_name["step"].item();
    for (std::size_t i = 0; i < v_.size(); ++i) v_[i] = by_name[params_[i].name + ".v"];
  }
  std::vector<Array> v_;
  double step_ = 0;
};

void check_same_parameters(const Module& a, const Module& b) {
  NamedArrays sa = a.state_dict(), sb = b.state_dict();
  BOOST_REQUIRE_EQUAL(sa.size(), sb.size());
  for (std::size_t i = 0; i < sa.size(); ++i) {
    BOOST_TEST(sa[i].first == sb[i].first);
    BOOST_TEST(max_abs_diff(sa[i].second, sb[i].second) == 0.0);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(checkpoint_tests)

BOOST_AUTO_TEST_CASE(round_trip_of_model_optimizer_and_extra_entries) {
  fs::path dir = testing::temp_dir("checkpoint_round_trip");
  std::string path = (dir / "ckpt.npz").string();
  auto net = mlp({3, 4, 2}, 1);
  Momentum opt(net->parameters());
  opt.step();
  opt.step();
  opt.v_[1] = Array::full({4}, 0.5, kFloat32);
  NamedArrays extra;
  put_double(extra, "meta/epoch", 7);
  Generator gen(0xfedcba9876543210ULL);
  gen.advance((1ULL << 60) + 3);  // beyond 2^53: needs both halves
  put_generator(extra, "meta/generator_", gen);
  save_checkpoint(path, *net, &opt, extra);

  std::vector<std::string> names;
  for (const auto& [name, a] : load_npz(path)) names.push_back(name);
  std::vector<std::string> expected = {
      "model/0.weight", "model/0.bias",     "model/1.weight",      "model/1.bias",
      "optim/step",     "optim/0.weight.v", "optim/0.bias.v",      "optim/1.weight.v",
      "optim/1.bias.v", "meta/epoch",       "meta/generator_seed", "meta/generator_offset"};
  BOOST_TEST(names == expected, boost::test_tools::per_element());

  auto other = mlp({3, 4, 2}, 2);
  Momentum other_opt(other->parameters());
  NamedArrays loaded = load_checkpoint(path, *other, &other_opt);
  check_same_parameters(*net, *other);
  BOOST_TEST(other_opt.step_ == 2.0);
  BOOST_TEST(max_abs_diff(other_opt.v_[1], opt.v_[1]) == 0.0);
  BOOST_TEST(loaded.size() == 3u);
  BOOST_TEST(get_double(loaded, "meta/epoch") == 7.0);
  Generator restored;
  get_generator(loaded, "meta/generator_", restored);
  BOOST_TEST(restored.seed() == 0xfedcba9876543210ULL);
  BOOST_TEST(restored.offset() == (1ULL << 60) + 3);
  // Without an optimiser the stored optimiser state is ignored.
  auto third = mlp({3, 4, 2}, 3);
  BOOST_TEST(load_checkpoint(path, *third, nullptr).size() == 3u);
  check_same_parameters(*net, *third);
}

BOOST_AUTO_TEST_CASE(u64_halves_by_hand) {
  NamedArrays a;
  put_u64(a, "n", 0x0000000500000007ULL);
  BOOST_TEST(a[0].second.at(0) == 5.0);
  BOOST_TEST(a[0].second.at(1) == 7.0);
  BOOST_TEST(get_u64(a, "n") == 0x0000000500000007ULL);
  BOOST_CHECK_EXCEPTION(get_u64(a, "m"), ValueError,
                        message_is<ValueError>("get_u64: no entry 'm'"));
  NamedArrays b{{"n", Array::full({2}, 0.5, kFloat64)}};
  BOOST_CHECK_EXCEPTION(
      get_u64(b, "n"), ValueError,
      message_is<ValueError>("get_u64: 'n' is not a 64-bit integer as put_u64 writes it"));
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
  Momentum opt(other->parameters());
  BOOST_CHECK_EXCEPTION(load_checkpoint(path, *other, &opt), FileError,
                        message_is<FileError>(path + ": optimizer state (optim/...) does not fit "
                                                     "Momentum: Momentum: missing 'step'"));
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
