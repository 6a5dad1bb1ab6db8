// Tests for ops/normalization.h: layer_norm and batch_norm (training and
// eval) against PyTorch 1.13 values, the running-statistics update (unbiased
// variance, momentum), stability for a large mean in float32, gradients of
// gradients, determinism and errors.
// Reference values: computed once with libtorch 1.13.1 (float64) in a
// throwaway program and pasted here; the inputs are written out below.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/arithmetic.h"
#include "ops/normalization.h"
#include "ops/sum.h"
#include "ops/var.h"
#include "tests/ops/op_test_util.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::check_close;
using xgrad::testing::message_is;

using xgrad::testing::from_index;

BOOST_AUTO_TEST_SUITE(ops_normalization_tests)

BOOST_AUTO_TEST_CASE(layer_norm_matches_pytorch) {
  Tensor x = from_index({2, 3, 4}, xgrad::testing::sin_of, 3.0);
  Tensor w = tensor({0.5, -1.0, 2.0, 1.5}, kFloat64), b = tensor({0.1, 0.2, -0.3, 0.0}, kFloat64);
  Array u = from_index({2, 3, 4}, xgrad::testing::cos_of).value();
  auto f = [](const std::vector<Tensor>& in) { return layer_norm(in[0], {4}, in[1], in[2]); };
  check_close(
      f({x, w, b}).value(),
      {-0.48218661564148979, -0.70717872582536279, 1.8483107340392213,   -1.2254412923429907,
       -0.23869756941544565, 1.201638852800609,    -0.12314204621172023, 2.3859075221060406,
       0.75624619485612532,  -0.37334235446407166, -1.601970645273167,   -1.8522741323096086,
       -0.70873338682521891, 0.1311824722203378,   1.8484731098436507,   0.71161903642342528,
       0.3034115885361941,   1.3615453939539213,   -1.6431244345416973,  2.1394266512285722,
       0.58148545700259291,  -0.65639424681964775, -0.94955966865785757, -2.2418779897438568});
  std::vector<Array> g = xgrad::testing::grads_of(f, {x, w, b}, u);
  check_close(
      g[0],
      {0.71405377505244672,  0.18045925741591043,  -0.033350672240878676, -0.8611623602274785,
       -0.27700180508413397, -0.14668196959357377, 0.67134061809885981,   -0.24765684342115213,
       -0.15379275119622962, 0.38534615735580291,  -0.52240902074715556,  0.29085561458758236,
       0.21079723305738607,  -0.32459385997573181, 0.51566253173109067,   -0.40186590481274476,
       -0.93260680137297625, -0.13003365031282044, 0.61360925541094125,   0.44903119627485533,
       0.052021528123286032, 0.2432036618337042,   -0.59805680748645829,  0.30283161752946819});
  check_close(g[1],
              {-2.2740985634071094, -0.40337511348577498, 0.21233524527796849, 3.8486135922786811});
  check_close(g[2], {0.49513288555027385, -0.0026115873789801514, -0.49795497891595231,
                     -0.53548085927463962});
}

BOOST_AUTO_TEST_CASE(batch_norm_training_matches_pytorch_and_updates_running_stats) {
  Tensor x = from_index({2, 3, 2, 2}, xgrad::testing::sin_of, 2.0, 1.0);
  Tensor w = tensor({0.5, -1.0, 2.0}, kFloat64), b = tensor({0.1, 0.2, -0.3}, kFloat64);
  Tensor rm = tensor({0.0, 1.0, -1.0}, kFloat64), rv = tensor({1.0, 2.0, 0.5}, kFloat64);
  Array u = from_index({2, 3, 2, 2}, xgrad::testing::cos_of).value();
  auto f = [rm, rv](const std::vector<Tensor>& in) {
    return batch_norm(in[0], rm, rv, in[1], in[2], true, 0.1, 1e-5);
  };
  check_close(
      f({x, w, b}).value(),
      {-0.33088808723290175,   0.51815110291987809,  0.58658757719102805,   -0.1884988432533759,
       0.86453828191301529,    1.2394846284924552,   -0.021039269608455487, -1.7581135536795311,
       2.0555010678953214,     0.53690462609641088,  -1.9784976134728669,   -3.1780564321242841,
       -0.8722869518188362,    0.093057939566377562, 0.6686288090396062,    0.32524845358822352,
       -0.0052939276939872717, 1.244072574247493,    0.85375069533983694,   -0.81739942901082618,
       1.8544745422853328,     1.6537726132583983,   -0.57057839023501922,  -2.7735204137032929});
  check_close(rm.value(), {0.18540944335929099, 0.92028583712238632,
                           -0.78120013524442067});  // one update: momentum 0.1, unbiased variance
  check_close(rv.value(), {1.0122562014726617, 1.9328422354426129, 0.71420301667448638});
  std::vector<Array> g = xgrad::testing::grads_of(f, {x, w, b}, u);
  check_close(
      g[0],
      {0.31162720671098326,  0.30286944696837914,  -0.16166869241077228, -0.65489298840866972,
       0.61829123594130464,  -0.35945366420414854, -0.62260721556974497, 0.070772743375264763,
       0.23113128349074283,  -0.67060427697630964, -0.40128293320809127, 0.79148251337391007,
       0.090552700640191428, 0.37636280620210927,  0.13882307657997944,  -0.4036735562822007,
       1.1516786252188254,   0.15754540991502058,  -0.59732302109070501, -0.41890411358581681,
       0.97325891507882201,  -0.27008433449255093, -0.71060686785587135, 0.056705700589348734});
  check_close(g[1], {-2.0839476454600443, 2.4928841139921216, 0.84399633159578791});
  check_close(g[2], {1.2625130182522528, 1.7602896136490527, -3.5637171719206036});
}

BOOST_AUTO_TEST_CASE(batch_norm_eval_uses_the_running_stats) {
  // The running statistics after PyTorch's training step above.
  Tensor x = from_index({2, 3, 2, 2}, xgrad::testing::sin_of, 2.0, 1.0);
  Tensor w = tensor({0.5, -1.0, 2.0}, kFloat64), b = tensor({0.1, 0.2, -0.3}, kFloat64);
  Tensor rm = tensor({0.18540944335929099, 0.92028583712238632, -0.78120013524442067}, kFloat64);
  Tensor rv = tensor({1.0122562014726617, 1.9328422354426129, 0.71420301667448638}, kFloat64);
  Array u = from_index({2, 3, 2, 2}, xgrad::testing::cos_of).value();
  auto f = [rm, rv](const std::vector<Tensor>& in) {
    return batch_norm(in[0], rm, rv, in[1], in[2], false);
  };
  check_close(
      f({x, w, b}).value(),
      {0.50482004351086185,   1.3411771996454578,  1.4085914434885458, 0.64508243014750477,
       1.2313753789912962,    1.5221414857997153,  0.5446212892877591, -0.80245764993683388,
       8.5980395186569041,    5.8659032954263752,  1.3403944863964832, -0.81775497986384849,
       -0.028491987277860592, 0.92243362064692258, 1.4894072316764959, 1.1511559225630412,
       0.55683160100463125,   1.5256993791826234,  1.2230097432720608, -0.072945851395660941,
       8.2363688092229896,    7.8752820877783067,  3.8734091855709694, -0.089946406692044956});
  std::vector<Array> g = xgrad::testing::grads_of(f, {x, w, b}, u);
  check_close(
      g[0],
      {0.49696137551643088,  0.26850937711893008,  -0.20680890430727922, -0.49198803286150289,
       0.47015569397066931,  -0.20403379976919811, -0.69063555895134132, -0.54227017026268443,
       -0.34433344638136154, -2.1562374589532944,  -1.985706695762085,   0.010473645957176194,
       0.41936282406668479,  0.45096600071744752,  0.06795311604485535,  -0.37753555013752632,
       0.68882957499707564,  0.19792071096174357,  -0.47495554197369239, -0.71115985998821951,
       0.96574756082495539,  -1.2962299658639034,  -2.3664596398082498,  -1.2609772344006656});
  check_close(g[1], {0.041113483707838717, 1.024829783510361, -6.7853886434556534});
  check_close(rm.value(), {0.18540944335929099, 0.92028583712238632,
                           -0.78120013524442067});  // eval leaves them alone
}

// Two-pass statistics: x = 1e4 + noise (std 0.01) in float32 normalises to
// the float64 answer; one pass (E[x²] - E[x]² in float32) would lose all of it.
BOOST_AUTO_TEST_CASE(stable_for_a_large_mean_in_float32) {
  Generator gen(17);
  Tensor x = randn({4, 256}, gen) * 0.01 + 1e4;
  Tensor y = layer_norm(x, {256});
  Tensor v64 = var(x.to(kFloat64), 1, false);
  Tensor m = mean(y, 1), v = var(y, 1, false);
  for (std::size_t r = 0; r < 4; ++r) {
    const double expected = v64.value().at(r) / (v64.value().at(r) + 1e-5);
    BOOST_TEST(std::abs(m.value().at(r)) < 1e-5);
    BOOST_TEST(std::abs(v.value().at(r) - expected) < 1e-4);
  }
  Tensor xb = randn({256, 3}, gen) * 0.01 + 1e4;  // (N, C): statistics per column
  Tensor yb = batch_norm(xb, Tensor(), Tensor(), Tensor(), Tensor(), true);
  Tensor vb64 = var(xb.to(kFloat64), 0, false);
  Tensor mb = mean(yb, 0), vb = var(yb, 0, false);
  for (std::size_t c = 0; c < 3; ++c) {
    const double expected = vb64.value().at(c) / (vb64.value().at(c) + 1e-5);
    BOOST_TEST(std::abs(mb.value().at(c)) < 1e-5);
    BOOST_TEST(std::abs(vb.value().at(c) - expected) < 1e-4);
  }
}

BOOST_AUTO_TEST_CASE(second_order_gradients) {
  Generator gen(18);
  Tensor x = randn({3, 2, 4}, gen, kFloat64), w = randn({4}, gen, kFloat64),
         b = randn({4}, gen, kFloat64);
  GradcheckResult r = gradgradcheck(
      "layer_norm",
      [](const std::vector<Tensor>& in) { return layer_norm(in[0], {4}, in[1], in[2]); },
      {x, w, b});
  BOOST_TEST(r.pass(), r.message());
  Tensor c = randn({2}, gen, kFloat64);
  GradcheckResult rb =
      gradgradcheck("batch_norm",
                    [](const std::vector<Tensor>& in) {
                      return batch_norm(in[0], Tensor(), Tensor(), in[1], in[2], true);
                    },
                    {randn({3, 2, 4}, gen, kFloat64), c, randn({2}, gen, kFloat64)});
  BOOST_TEST(rb.pass(), rb.message());
}

BOOST_AUTO_TEST_CASE(identical_for_one_and_two_threads) {
  Generator gen(19);
  Tensor x = randn({64, 16, 8, 8}, gen), g = randn({64, 16, 8, 8}, gen);
  Tensor w = randn({16}, gen), b = randn({16}, gen);
  xgrad::testing::check_same_for_threads(
      [&] { return batch_norm(x, Tensor(), Tensor(), w, b, true).value(); });
  xgrad::testing::check_same_for_threads([&] { return batch_norm_backward(g, x).value(); });
  xgrad::testing::check_same_for_threads([&] { return layer_norm(x, {8, 8}).value(); });
  xgrad::testing::check_same_for_threads([&] { return layer_norm_backward(g, x, {8}).value(); });
}

BOOST_AUTO_TEST_CASE(errors) {
  Tensor x = zeros({2, 3, 4});
  BOOST_CHECK_EXCEPTION(layer_norm(x, {3}), ShapeError,
                        message_is("layer_norm: input must end with normalized_shape: "
                                   "input (2, 3, 4), normalized_shape (3)"));
  BOOST_CHECK_EXCEPTION(layer_norm(x, {4}, zeros({3})), ShapeError,
                        message_is("layer_norm: weight must be (4): weight (3), input (2, 3, 4)"));
  BOOST_CHECK_EXCEPTION(batch_norm(x, zeros({4}), zeros({3})), ShapeError,
                        message_is("batch_norm: running_mean must be (3): running_mean (4), "
                                   "input (2, 3, 4)"));
  BOOST_CHECK_EXCEPTION(batch_norm(x, Tensor(), Tensor()), ValueError,
                        message_is("batch_norm: running_mean and running_var must be given in "
                                   "evaluation mode"));
  BOOST_CHECK_EXCEPTION(batch_norm(zeros({1, 3}), Tensor(), Tensor(), Tensor(), Tensor(), true),
                        ValueError,
                        message_is("batch_norm: expected more than 1 value per channel when "
                                   "training, got input (1, 3)"));
  BOOST_CHECK_EXCEPTION(batch_norm(zeros({4}), Tensor(), Tensor(), Tensor(), Tensor(), true),
                        ShapeError, message_is("batch_norm: input must be (N, C, *): input (4)"));
}

BOOST_AUTO_TEST_SUITE_END()
