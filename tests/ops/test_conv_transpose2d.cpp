// Tests for ops/conv_transpose2d.h: values and gradients
// against PyTorch 1.13 (computed once with libtorch 1.13.1 in float64 and pasted
// here), the adjoint identity with conv2d, shapes, determinism and errors.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/arithmetic.h"
#include "ops/conv2d.h"
#include "ops/conv_transpose2d.h"
#include "ops/sum.h"
#include "tests/ops/op_test_util.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::check_close;
using xgrad::testing::message_is;

using xgrad::testing::from_index;

BOOST_AUTO_TEST_SUITE(ops_conv_transpose2d_tests)

BOOST_AUTO_TEST_CASE(stride2_pad1_output_padding1_matches_pytorch) {
  Tensor x = from_index({2, 2, 2, 3}, xgrad::testing::sin_of);
  Tensor w = from_index({2, 3, 3, 3}, xgrad::testing::cos_of);  // (Cin, Cout, KH, KW)
  Tensor b = tensor({0.5, -0.5, 0.25}, kFloat64);
  auto f = [](const std::vector<Tensor>& in) {
    return conv_transpose2d(in[0], in[1], in[2], Conv2dOptions(2, 1), {1, 1});
  };
  Tensor y = f({x, w, b});
  BOOST_TEST(
      (y.shape() == Shape{2, 3, 4, 6}));  // (2 - 1)·2 - 2 + 3 + 1 = 4; (3 - 1)·2 - 2 + 3 + 1 = 6
  Array first = Array::empty({12}, kFloat64);
  for (std::size_t i = 0; i < 12; ++i) first.set(i, y.value().at(i));
  check_close(first,
              {0.24440680837038681, -0.46480376154282799, 0.55095132899650168, 0.53917938100980867,
               0.81065143271732543, 1.5832790565724473, 0.41664348033464066, 0.58685060241157427,
               0.69166335324544281, 0.6989089124099519, 0.7904688230832243, 0.62072536515306798});
  Array u = from_index(y.shape(), xgrad::testing::sin_of).value();
  std::vector<Array> g = xgrad::testing::grads_of(f, {x, w, b}, u);
  check_close(
      g[0],
      {0.22574382794438241,   -0.087080549839996968, 0.044086672893761003,  -0.31723982607421436,
       -0.1460313393626973,   0.70359124379035332,   -0.014573406427542679, -0.041130402868208016,
       -0.088665290266711272, -0.047067113777851666, -0.72871937188133029,  0.066708122140456849,
       -0.24193476283810844,  0.086419527114816874,  -0.023456288687276228, 0.13208724695168683,
       0.32068735669357906,   -0.72151762199846203,  -0.031447570730734009, 0.010255295019598626,
       0.10754251955679917,   -0.035519096493404567, 0.63882421099853226,   0.13114382697366622});
  check_close(
      g[1],
      {-0.15896526867560112,  0.05273555608117303,   -0.29870084996830404,  0.067122974827702131,
       0.24694034717365471,   0.22143506574097194,   0.082445322451091707,  0.20787966221529225,
       0.25488559282663759,   0.10064663713507482,   0.3744905477609981,    0.1037347220765103,
       0.086796194755528577,  0.01002905200567894,   0.23092479732666427,   0.073988280449680865,
       -0.065251050675200872, 0.18362697289363561,   0.24434964993912706,   0.2649665015315239,
       0.38670503284189106,   0.0065112726363552031, -0.23843212052505436,  -0.025528163141928739,
       -0.019676771739657761, -0.26323591402149749,  -0.099104178661997278, -0.2325739767641587,
       0.064391321074085184,  -0.1389082216986921,   0.05513362103735342,   0.1467080618912604,
       0.18443653100095614,   0.081082350151690741,  0.10594244870005776,   0.19271589670079625,
       0.035675435968667291,  0.21424568746241146,   0.091145309458309454,  0.11460271809197609,
       -0.050951698849651672, 0.12887568398507798,   0.10802590432421699,   -0.10085752906625745,
       0.083702117164309087,  0.26283951879516654,   0.11736572499399134,   0.21623207547759038,
       0.04209051335939884,   -0.18993334397161754,  -0.075103811595622183, 0.010562291574164884,
       -0.19150574182363245,  -0.12170653475927307});
  check_close(g[2], {-0.10520868364793923, 0.19662984347426538, 0.2720211872834255});
}

// <conv_transpose2d(x, W), z> = <x, conv2d(z, W)>: the adjoint of conv2d.
BOOST_AUTO_TEST_CASE(adjoint_of_conv2d) {
  Generator gen(20);
  for (const Conv2dOptions& o : {Conv2dOptions(), Conv2dOptions(2, 1), Conv2dOptions(1, 1, 2, 2)}) {
    Tensor x = randn({2, 4, 5, 6}, gen, kFloat64), w = randn({4, 3, 3, 3}, gen, kFloat64);
    Tensor y = conv_transpose2d(x, w, Tensor(), o);
    Tensor z = randn(y.shape(), gen, kFloat64);
    const double lhs = sum(y * z).item(), rhs = sum(x * conv2d(z, w, Tensor(), o)).item();
    BOOST_TEST(std::abs(lhs - rhs) <= 1e-10 * std::max(1.0, std::abs(lhs)));
  }
}

BOOST_AUTO_TEST_CASE(identical_for_one_and_two_threads) {
  Generator gen(21);
  Tensor x = randn({8, 16, 14, 14}, gen), w = randn({16, 8, 4, 4}, gen), b = randn({8}, gen);
  xgrad::testing::check_same_for_threads(
      [&] { return conv_transpose2d(x, w, b, Conv2dOptions(2, 1)).value(); });
}

BOOST_AUTO_TEST_CASE(errors) {
  Tensor x = zeros({1, 2, 3, 3});
  BOOST_CHECK_EXCEPTION(conv_transpose2d(x, zeros({3, 2, 3, 3})), ShapeError,
                        message_is("conv_transpose2d: input channels must equal weight.shape[0]: "
                                   "input (1, 2, 3, 3), weight (3, 2, 3, 3)"));
  BOOST_CHECK_EXCEPTION(
      conv_transpose2d(x, zeros({2, 2, 3, 3}), Tensor(), Conv2dOptions(2), {2, 0}), ValueError,
      message_is("conv_transpose2d: output_padding (2, 0) must be smaller than "
                 "the stride (2, 2)"));
  BOOST_CHECK_EXCEPTION(
      conv_transpose2d(x, zeros({2, 2, 3, 3}), zeros({3})), ShapeError,
      message_is("conv_transpose2d: bias must be (Cout) with Cout = weight.shape[1] "
                 "* groups: bias (3), weight (2, 2, 3, 3)"));
  BOOST_CHECK_EXCEPTION(
      conv_transpose2d(zeros({2, 3}), zeros({2, 2, 3, 3})), ShapeError,
      message_is("conv_transpose2d: input must be 4-D (N, Cin, H, W): input (2, 3)"));
}

BOOST_AUTO_TEST_SUITE_END()
