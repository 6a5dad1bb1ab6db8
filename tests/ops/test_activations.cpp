// Tests for ops/activations.h: gelu (both forms), silu, elu, leaky_relu and
// softplus against PyTorch 1.13 values, their gradients and gelu's second
// derivative, determinism and argument errors.
// Reference values: computed once with libtorch 1.13.1 (float64) in a
// throwaway program and pasted here.
#include <boost/test/unit_test.hpp>
#include <limits>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "ops/activations.h"
#include "ops/sum.h"
#include "tests/ops/op_test_util.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::check_close;
using xgrad::testing::message_is;

namespace {
Tensor points() { return tensor({-3.0, -1.5, -0.5, 0.0, 0.25, 1.0, 2.5}, kFloat64); }

// d/dx sum(f(x)) at the points.
Array slope(const std::function<Tensor(const Tensor&)>& f) {
  Tensor x(points().value(), true);
  sum(f(x)).backward();
  return x.grad();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_activations_tests)

BOOST_AUTO_TEST_CASE(gelu_matches_pytorch) {
  check_close(gelu(points()).value(),
              {-0.0040496940948903104, -0.10021080190328704, -0.15426876936299344, 0,
               0.14967658142073093, 0.84134474606854304, 2.4844758366855597},
              1e-15);
  check_close(slope([](const Tensor& x) { return gelu(x); }),
              {-0.01194564720418392, -0.1274691922299796, 0.13250487534383712, 0.5,
               0.69537335488363605, 1.0833154705876864, 1.0376110859081451},
              1e-15);
  check_close(gelu(points(), "tanh").value(),
              {-0.0036373920817729943, -0.10042842301976707, -0.15428599017485606, 0,
               0.149675350701685, 0.84119199060827676, 2.4849157339100012},
              1e-15);
  check_close(slope([](const Tensor& x) { return gelu(x, "tanh"); }),
              {-0.011584166630969648, -0.12771079315143308, 0.13263009646535764, 0.5,
               0.69535409515106039, 1.0829640838457826, 1.0379515762126661},
              1e-15);
}

BOOST_AUTO_TEST_CASE(gelu_second_derivative_matches_pytorch) {
  for (const char* form : {"none", "tanh"}) {
    Tensor x(points().value(), true);
    Tensor g = grad({sum(gelu(x, form))}, {x}, {}, true, true)[0];
    Tensor gg = grad({sum(g)}, {x})[0];
    check_close(
        gg.value(),
        std::string(form) == "none"
            ? std::vector<double>{-0.031022938883566054, -0.032379398916472957, 0.61611432183752413,
                                  0.79788456080286541, 0.74916947630552044, 0.24197072451914337,
                                  -0.07449527709766629}
            : std::vector<double>{-0.031767658886074919, -0.030518196484224859, 0.615506895115985,
                                  0.79788456080286541, 0.74894861422365044, 0.24214819798377296,
                                  -0.076245392073612944},
        1e-14);
  }
}

BOOST_AUTO_TEST_CASE(silu_elu_leaky_relu_softplus_match_pytorch) {
  check_close(silu(points()).value(),
              {-0.14227761953270035, -0.27363828570953452, -0.1887703343990727, 0,
               0.14054412522144952, 0.7310585786300049, 2.3103545499468914},
              1e-15);
  check_close(slope([](const Tensor& x) { return silu(x); }),
              {-0.088104106015169617, -0.041294154299142946, 0.26003881269734819, 0.5,
               0.62371002157019773, 0.92767051187148686, 1.0994011113415267},
              1e-15);
  check_close(elu(points()).value(),
              {-0.95021293163213605, -0.77686983985157021, -0.39346934028736658, 0, 0.25, 1, 2.5},
              1e-15);
  check_close(slope([](const Tensor& x) { return elu(x); }),
              {0.049787068367863944, 0.22313016014842982, 0.60653065971263342, 1, 1, 1, 1}, 1e-15);
  check_close(
      leaky_relu(points()).value(),
      {-0.029999999999999999, -0.014999999999999999, -0.0050000000000000001, 0, 0.25, 1, 2.5},
      1e-15);
  check_close(slope([](const Tensor& x) { return leaky_relu(x); }),
              {0.01, 0.01, 0.01, 0.01, 1, 1, 1}, 1e-15);
  check_close(softplus(points()).value(),
              {0.048587351573742062, 0.20141327798275241, 0.47407698418010669, 0.69314718055994529,
               0.82593941987884356, 1.3132616875182228, 2.5788897342925496},
              1e-15);
  // beta 2, threshold 20: 10.5 and 30 take the linear branch (beta x > 20)
  Tensor z = tensor({-2.0, 0.5, 9.0, 10.5, 30.0}, kFloat64);
  check_close(softplus(z, 2.0, 20.0).value(),
              {0.0090749639589048688, 0.6566308437591114, 9.0000000076149895, 10.5, 30}, 1e-15);
  Tensor zl(z.value(), true);
  sum(softplus(zl, 2.0, 20.0)).backward();
  check_close(zl.grad(), {0.017986209962091555, 0.7310585786300049, 0.9999999847700205, 1, 1},
              1e-15);
}

BOOST_AUTO_TEST_CASE(stable_at_large_magnitudes_and_nan_propagates) {
  Tensor x = tensor({-1000.0, 1000.0}, kFloat64);
  check_close(gelu(x).value(), {-0.0, 1000.0});
  check_close(silu(x).value(), {-0.0, 1000.0});
  check_close(softplus(x).value(), {0.0, 1000.0});
  check_close(elu(x).value(), {-1.0, 1000.0});
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor n = tensor({nan}, kFloat64);
  for (Tensor y : {gelu(n), gelu(n, "tanh"), silu(n), elu(n), leaky_relu(n), softplus(n)}) {
    BOOST_TEST(std::isnan(y.item()));
  }
}

BOOST_AUTO_TEST_CASE(gradients_of_gradients_pass_gradgradcheck) {
  Generator gen(12);
  Tensor x = randn({3, 4}, gen, kFloat64);
  for (const char* form : {"none", "tanh"}) {
    GradcheckResult r = gradgradcheck(
        "gelu", [form](const std::vector<Tensor>& in) { return gelu(in[0], form); }, {x});
    BOOST_TEST(r.pass(), r.message());
  }
  GradcheckResult r =
      gradgradcheck("silu", [](const std::vector<Tensor>& in) { return silu(in[0]); }, {x});
  BOOST_TEST(r.pass(), r.message());
}

BOOST_AUTO_TEST_CASE(identical_for_one_and_two_threads) {
  Generator gen(13);
  Tensor x = randn({200, 300}, gen);
  xgrad::testing::check_same_for_threads([&] { return gelu(x).value(); });
  xgrad::testing::check_same_for_threads([&] { return silu_backward(x, x).value(); });
  xgrad::testing::check_same_for_threads([&] { return softplus(x).value(); });
}

BOOST_AUTO_TEST_CASE(errors) {
  BOOST_CHECK_EXCEPTION(gelu(zeros({2}), "erf"), ValueError,
                        message_is("gelu: approximate must be \"none\" or \"tanh\", got \"erf\""));
  BOOST_CHECK_EXCEPTION(silu(tensor({1, 2})), DTypeError,
                        message_is("silu: expected float32 or float64: input int64"));
  BOOST_CHECK_EXCEPTION(gelu_backward(zeros({2}), zeros({3})), ShapeError,
                        message_is("gelu_backward: shapes must match: gradient (2), input (3)"));
}

BOOST_AUTO_TEST_SUITE_END()
