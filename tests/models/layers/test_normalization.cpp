// Tests for models/layers/normalization.h: LayerNorm, BatchNorm1d and
// BatchNorm2d against PyTorch 1.13 (forward, gradients, running statistics),
// running statistics after several steps against the closed form, momentum
// None, train vs eval, gradcheck of whole layers in float64, buffers in
// state_dict and a checkpoint round trip, to(), 1 vs 2 threads, errors.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <memory>

#include "framework/gradcheck.h"
#include "framework/parallel.h"
#include "models/checkpoint.h"
#include "models/layers/normalization.h"
#include "ops/arithmetic.h"
#include "ops/sum.h"
#include "tests/framework/temp_dir.h"
#include "tests/models/layers/reference_values.h"
#include "tests/test_messages.h"
#include "tests/test_values.h"

using namespace xgrad;
using xgrad::testing::check_values;
using xgrad::testing::message_is;
using xgrad::testing::param;
using xgrad::testing::parameter_grad_error;
using xgrad::testing::same_bits;
using xgrad::testing::seqv;
using xgrad::testing::set_param;

namespace {
Tensor affine(const Array& a, double scale, double shift, bool requires_grad = false) {
  Array b = a;
  for (std::size_t i = 0; i < b.size(); ++i) b.set(i, a.at(i) * scale + shift);
  return Tensor(b, requires_grad);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(models_layers_normalization_tests)

BOOST_AUTO_TEST_CASE(layer_norm_matches_pytorch) {
  LayerNorm ln(Shape{2, 3}, 1e-5, true, kFloat64);
  set_param(ln, "weight", 1);
  set_param(ln, "bias", 2);
  Tensor x = affine(seqv({2, 2, 3}, 3), 3, 1, true);
  Tensor y = ln(x);
  sum(y * Tensor(seqv({2, 2, 3}, 4))).backward();
  // Reference: torch::nn::LayerNorm(LayerNormOptions({2, 3})), same weight,
  // bias, input and upstream gradient (PyTorch 1.13.0, float64).
  check_values(y.value(),
               {0.542838937191, -0.613544325358, -0.27755230977, -0.623858793433, 0.336484007799,
                0.339869907576, 0.00496712092207, -0.210136027939, -0.774168202849, -0.872459965446,
                0.402394538968, -0.113942294258},
               1e-11);
  check_values(x.grad(),
               {-0.0268184828375, -0.0156813320444, 0.10752913667, -0.118968438392, 0.128132357646,
                -0.0741932410422, -0.073100560657, 0.130802635699, -0.0787859356493,
                0.0130379934626, 0.0596416042724, -0.0515957371274},
               1e-11);
  check_values(ln.weight().grad(),
               {0.291302834636, 0.507199273506, 0.450781259552, 0.449809833758, 0.226230330606,
                0.341441506189},
               1e-11);
  check_values(ln.bias().grad(),
               {-0.725163790043, -0.161802988926, 0.638599570031, 0.503452262813, -0.36925378889,
                -0.701002174799},
               1e-11);
}

BOOST_AUTO_TEST_CASE(layer_norm_defaults_and_names) {
  LayerNorm ln(8);
  BOOST_TEST(ln.name() == "LayerNorm((8), eps=1e-05)");
  BOOST_TEST(ln.eps() == 1e-5);
  const auto params = ln.parameters();
  BOOST_TEST_REQUIRE(params.size() == 2u);
  BOOST_TEST(params[0].name == "weight");
  BOOST_TEST((params[0].role == ParamRole::kNormWeight));
  BOOST_TEST(params[1].name == "bias");
  check_values(params[0].tensor.value(), std::vector<double>(8, 1.0));
  check_values(params[1].tensor.value(), std::vector<double>(8, 0.0));
  LayerNorm plain(Shape{2, 4}, 1e-3, false);
  BOOST_TEST(plain.parameters().empty());
  BOOST_TEST(plain.name() == "LayerNorm((2, 4), eps=0.001, elementwise_affine=false)");
}

BOOST_AUTO_TEST_CASE(layer_norm_gradcheck_whole_layer) {
  auto ln = std::make_shared<LayerNorm>(Shape{4}, 1e-5, true, kFloat64);
  set_param(*ln, "weight", 5);
  set_param(*ln, "bias", 6);
  const Tensor x = affine(seqv({3, 2, 4}, 7), 2, 0.5);
  auto f = [ln](const std::vector<Tensor>& in) { return (*ln)(in[0]); };
  GradcheckResult r = gradcheck("LayerNorm", f, {x});
  BOOST_TEST(r.pass(), r.message());
  BOOST_TEST(parameter_grad_error(*ln, [&] { return (*ln)(x); }) < 1e-7);
}

BOOST_AUTO_TEST_CASE(batch_norm1d_matches_pytorch_over_three_steps_then_eval) {
  BatchNorm1d bn(3, 1e-5, 0.1, true, true, kFloat64);
  set_param(bn, "weight", 1);
  set_param(bn, "bias", 2);
  Tensor y;
  for (int s = 0; s < 3; ++s) y = bn(affine(seqv({4, 3, 2}, 10 + s), s + 1, s));
  // Reference: torch::nn::BatchNorm1d(3), same weight, bias and inputs
  // (PyTorch 1.13.0, float64).
  check_values(y.value(), {0.122151842802,  0.840135288349,  0.412454546647,    -0.164185676485,
                           -0.173348996206, -0.379539329041, 0.925916407291,    0.904558286222,
                           -0.273972338791, -0.588905578401, -0.445745401414,   -0.777212156968,
                           0.813233365035,  0.0929451466784, -0.560864290385,   -0.0182087780376,
                           -0.79704296667,  -0.626621490231, -0.00269092132419, -0.0590597077507,
                           0.094603843245,  0.468095495634,  -0.562555377213,   -0.212698296791},
               1e-11);
  check_values(bn.running_mean(), {0.296485445256, 0.283647124391, 0.294401970067}, 1e-11);
  check_values(bn.running_var(), {0.919810982335, 0.918765211792, 0.91944140534}, 1e-11);
  BOOST_TEST(bn.num_batches_tracked() == 3);
  bn.eval();
  Tensor x = Tensor(seqv({4, 3, 2}, 20), true);
  Tensor ye = bn(x);
  sum(ye * Tensor(seqv({4, 3, 2}, 21))).backward();
  check_values(ye.value(), {0.524833450502,   0.464398967375,  -0.300442417991,  -0.372691629259,
                            -0.436666760629,  -0.54190534924,  0.424768475277,   0.163365183873,
                            -0.354519734038,  -0.13469722738,  -0.544276776972,  -0.458296466099,
                            0.135144756446,   0.167370990526,  -0.0958110835494, 0.000159359310065,
                            -0.433607633248,  -0.31909083697,  0.203956192563,   0.468837043993,
                            -0.0138162994218, -0.223282554868, -0.314055216519,  -0.387677923582},
               1e-11);
  check_values(x.grad(), {0.183516129184,   -0.0666730801165, -0.194351548855,  -0.0448588283282,
                          -0.101054138054,  -0.0806743065014, -0.110064913147,  -0.2122591903,
                          -0.0030974586476, 0.186552374145,   -0.0610425273902, 0.0780066000426,
                          -0.195393326541,  0.0437680123546,  0.194017299487,   0.0649898519361,
                          0.0944669875784,  0.0890920643253,  0.0889798549298,  0.216982233328,
                          0.0240340286281,  -0.179539264558,  0.0712365394783,  -0.0683926004437},
               1e-11);
  BOOST_TEST(bn.num_batches_tracked() == 3);  // eval does not count
}

BOOST_AUTO_TEST_CASE(running_stats_after_steps_match_the_closed_form) {
  // r_K = (1 - m)^K r_0 + Σ_k m (1 - m)^(K-k) stat_k, the variance unbiased;
  // the batch statistics computed here by hand loops.
  const double m = 0.1;
  const std::size_t steps = 5, n = 6, c = 2, l = 3;
  BatchNorm1d bn(c, 1e-5, m, false, true, kFloat64);
  std::vector<double> want_mean(c, 0.0), want_var(c, 1.0);
  for (std::size_t k = 0; k < steps; ++k) {
    const Array x = seqv({n, c, l}, int(50 + k));
    for (std::size_t ch = 0; ch < c; ++ch) {
      double s = 0, s2 = 0;
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < l; ++j) s += x.at((i * c + ch) * l + j);
      }
      const double mean = s / double(n * l);
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < l; ++j) {
          const double d = x.at((i * c + ch) * l + j) - mean;
          s2 += d * d;
        }
      }
      want_mean[ch] = (1 - m) * want_mean[ch] + m * mean;
      want_var[ch] = (1 - m) * want_var[ch] + m * s2 / double(n * l - 1);
    }
    bn(Tensor(x));
  }
  check_values(bn.running_mean(), want_mean, 1e-14);
  check_values(bn.running_var(), want_var, 1e-14);
  BOOST_TEST(bn.num_batches_tracked() == 5);
}

BOOST_AUTO_TEST_CASE(momentum_none_is_a_cumulative_average_as_pytorch) {
  BatchNorm1d bn(3, 1e-5, std::nullopt, true, true, kFloat64);
  bn(Tensor(seqv({5, 3}, 30)));
  bn(affine(seqv({5, 3}, 31), 2, 0));
  // Reference: torch::nn::BatchNorm1d(BatchNormOptions(3).momentum(c10::nullopt)).
  check_values(bn.running_mean(), {-0.0323993587242, -0.0401603219241, 0.0109136805804}, 1e-11);
  check_values(bn.running_var(), {0.369281258653, 0.380501920674, 0.422452518015}, 1e-11);
  BOOST_TEST(bn.name() == "BatchNorm1d(3, eps=1e-05, momentum=None)");
}

BOOST_AUTO_TEST_CASE(batch_norm2d_matches_pytorch) {
  BatchNorm2d bn(2, 1e-5, 0.1, true, true, kFloat64);
  set_param(bn, "weight", 1);
  set_param(bn, "bias", 2);
  Tensor x = affine(seqv({2, 2, 2, 3}, 40), 2, -1, true);
  Tensor y = bn(x);
  sum(y * Tensor(seqv({2, 2, 2, 3}, 41))).backward();
  // Reference: torch::nn::BatchNorm2d(2), training mode (PyTorch 1.13.0, float64).
  check_values(y.value(), {0.902245527937,    0.195195173343,  -0.125462208904, 0.410037197407,
                           1.01718550749,     0.806509024675,  -0.407944575346, -0.564036903347,
                           -0.00342641352168, 0.452591213166,  0.135949085283,  -0.489471338009,
                           -0.0245317455814,  0.663693909294,  1.05196079077,   0.571457007874,
                           -0.0738782717529,  0.0613726484037, 0.211620107703,  0.434165423754,
                           -0.088955190111,   -0.591368809038, -0.337038304269, 0.301441538876},
               1e-11);
  check_values(x.grad(), {-0.132781939945, -0.241315701513,  0.00678577694615, 0.24805324825,
                          0.129029301709,  -0.175915702151,  -0.152133668645,  0.12231880942,
                          0.214901623942,  -0.0100192652515, -0.222934228559,  -0.111922345928,
                          0.113050597925,  0.251944040545,   0.0248460454928,  -0.235544292447,
                          -0.147754518162, 0.15960314335,    0.165989436906,   -0.104721640456,
                          -0.224687590393, -0.0181580151971, 0.212300773622,   0.129066110538},
               1e-11);
  check_values(bn.weight().grad(), {1.67918426014, 2.88604960136}, 1e-10);
  check_values(bn.bias().grad(), {-0.0599227448096, 0.00975328080129}, 1e-11);
  check_values(bn.running_mean(), {-0.100722000814, -0.100761175851}, 1e-11);
  check_values(bn.running_var(), {0.954556263812, 0.953513500604}, 1e-11);
}

BOOST_AUTO_TEST_CASE(batch_norm_gradcheck_whole_layer_train_and_eval) {
  auto bn = std::make_shared<BatchNorm2d>(3, 1e-5, 0.1, true, true, kFloat64);
  set_param(*bn, "weight", 1);
  set_param(*bn, "bias", 2);
  const Tensor x = affine(seqv({2, 3, 2, 2}, 60), 2, 1);
  // Every call of a training forward moves the running statistics; the
  // output does not depend on them in training, so gradcheck still applies.
  auto f = [bn](const std::vector<Tensor>& in) { return (*bn)(in[0]); };
  GradcheckResult r = gradcheck("BatchNorm2d train", f, {x});
  BOOST_TEST(r.pass(), r.message());
  BOOST_TEST(parameter_grad_error(*bn, [&] { return (*bn)(x); }) < 1e-7);
  bn->eval();
  r = gradcheck("BatchNorm2d eval", f, {x});
  BOOST_TEST(r.pass(), r.message());
  BOOST_TEST(parameter_grad_error(*bn, [&] { return (*bn)(x); }) < 1e-7);
}

BOOST_AUTO_TEST_CASE(without_running_stats_eval_uses_the_batch) {
  BatchNorm1d bn(2, 1e-5, 0.1, false, false, kFloat64);
  BOOST_TEST(bn.buffers().empty());
  BOOST_TEST(bn.parameters().empty());
  const Tensor x(seqv({4, 2}, 3));
  const Array train_y = bn(x).value();
  bn.eval();
  BOOST_TEST(same_bits(bn(x).value(), train_y));
  BOOST_CHECK_THROW(bn.running_mean(), ValueError);
  BOOST_TEST(bn.name() ==
             "BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=false, "
             "track_running_stats=false)");
}

BOOST_AUTO_TEST_CASE(buffers_are_in_state_dict_and_survive_a_checkpoint) {
  BatchNorm1d a(3);
  const auto params = a.parameters();
  BOOST_TEST((params[0].role == ParamRole::kNormWeight));
  BOOST_TEST((params[1].role == ParamRole::kBias));
  for (int s = 0; s < 4; ++s) a(Tensor(seqv({5, 3}, s, kFloat32)));
  const NamedArrays state = a.state_dict();
  BOOST_TEST_REQUIRE(state.size() == 5u);
  BOOST_TEST(state[2].first == "running_mean");
  BOOST_TEST(state[3].first == "running_var");
  BOOST_TEST(state[4].first == "num_batches_tracked");
  BOOST_TEST((state[4].second.dtype() == kInt64));
  BOOST_TEST(state[4].second.shape().empty());

  const auto dir = xgrad::testing::temp_dir("bn_checkpoint");
  const std::string path = (dir / "bn.npz").string();
  save_checkpoint(path, a, nullptr);
  BatchNorm1d b(3);
  load_checkpoint(path, b, nullptr);
  xgrad::testing::check_same_arrays(b.state_dict(), a.state_dict());
  BOOST_TEST(b.num_batches_tracked() == 4);
  // Resumed, both continue identically.
  const Tensor x(seqv({5, 3}, 9, kFloat32));
  BOOST_TEST(same_bits(a(x).value(), b(x).value()));
  xgrad::testing::check_same_arrays(b.state_dict(), a.state_dict());
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(to_converts_running_stats_but_not_the_counter) {
  BatchNorm2d bn(2);
  bn.to(kFloat64);
  BOOST_TEST((bn.running_mean().dtype() == kFloat64));
  BOOST_TEST((bn.running_var().dtype() == kFloat64));
  BOOST_TEST((bn.weight().dtype() == kFloat64));
  const NamedArrays state = bn.state_dict();
  BOOST_TEST((state.back().second.dtype() == kInt64));
  bn(Tensor(seqv({2, 2, 3, 3}, 1)));  // float64 input now works
  BOOST_TEST(bn.num_batches_tracked() == 1);
  bn.reset_running_stats();
  check_values(bn.running_var(), {1, 1});
  BOOST_TEST(bn.num_batches_tracked() == 0);
}

BOOST_AUTO_TEST_CASE(one_and_two_threads_bit_identical) {
  auto run = [](std::size_t threads) {
    ThreadLimit limit(threads);
    BatchNorm2d bn(4);
    LayerNorm ln(Shape{4, 16, 16});
    Tensor x = Tensor(seqv({8, 4, 16, 16}, 3, kFloat32), true);
    Tensor y = ln(bn(x));
    sum(y * Tensor(seqv({8, 4, 16, 16}, 4, kFloat32))).backward();
    return std::vector<Array>{y.value(),        x.grad(),           bn.running_mean(),
                              bn.running_var(), bn.weight().grad(), ln.weight().grad()};
  };
  const auto one = run(1), two = run(2);
  for (std::size_t i = 0; i < one.size(); ++i) BOOST_TEST(same_bits(one[i], two[i]));
}

BOOST_AUTO_TEST_CASE(errors_name_the_layer_and_shapes) {
  BatchNorm2d bn(3);
  BOOST_CHECK_EXCEPTION(bn(Tensor(Array::zeros({2, 3, 4}, kFloat32))), ShapeError,
                        message_is("BatchNorm2d(3, eps=1e-05, momentum=0.1): expected a 4-D "
                                   "input: input (2, 3, 4)"));
  BatchNorm1d bn1(3);
  BOOST_CHECK_EXCEPTION(bn1(Tensor(Array::zeros({2, 4}, kFloat32))), ShapeError,
                        message_is("BatchNorm1d(3, eps=1e-05, momentum=0.1): the input's "
                                   "dimension 1 must have 3 channels: input (2, 4)"));
  BOOST_CHECK_THROW(bn1(Tensor(Array::zeros({1, 3}, kFloat32))), ValueError);  // one value
  BOOST_CHECK_THROW(BatchNorm1d(3, 1e-5, 1.5), ValueError);
  LayerNorm ln(Shape{2, 3});
  BOOST_CHECK_EXCEPTION(ln(Tensor(Array::zeros({4, 3, 2}, kFloat32))), ShapeError,
                        message_is("LayerNorm((2, 3), eps=1e-05): the input's last dimensions "
                                   "must equal normalized_shape: input (4, 3, 2), "
                                   "normalized_shape (2, 3)"));
}

BOOST_AUTO_TEST_SUITE_END()
