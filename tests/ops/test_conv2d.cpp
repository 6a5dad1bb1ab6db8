// Tests for ops/conv2d.h: hand values, a naive 7-loop reference over stride / padding /
// dilation / groups / rectangular kernels (both kernel paths), gradcheck, exact error
// messages, and bit-identical results for 1 and 2 threads on the W3 benchmark shapes.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "framework/parallel.h"
#include "ops/conv2d.h"
#include "tests/test_messages.h"

using xgrad::Array;
using xgrad::Conv2dOptions;
using xgrad::kFloat32;
using xgrad::kFloat64;
using xgrad::Shape;
using xgrad::Tensor;

namespace {

struct Case {
  std::string label;
  std::size_t n, c, h, w, cout, kh, kw;
  Conv2dOptions o;
  bool bias = true;
};

struct Ref {
  std::vector<double> y, dx, dw, db;
};

std::size_t out_size(std::size_t in, std::size_t k, std::size_t s, std::size_t p, std::size_t d) {
  return (in + 2 * p - d * (k - 1) - 1) / s + 1;
}

// The definition, loop by loop: y, and the gradients for upstream dy by the chain rule
// applied to the same loops (each product's two factors swap roles).
Ref reference(const Case& t, const Array& x, const Array& w, const Array& b, const Array& dy) {
  const auto& o = t.o;
  const std::size_t oh = out_size(t.h, t.kh, o.stride[0], o.padding[0], o.dilation[0]);
  const std::size_t ow = out_size(t.w, t.kw, o.stride[1], o.padding[1], o.dilation[1]);
  const std::size_t cin_g = t.c / o.groups, cout_g = t.cout / o.groups;
  Ref r{std::vector<double>(t.n * t.cout * oh * ow), std::vector<double>(x.size()),
        std::vector<double>(w.size()), std::vector<double>(t.cout)};
  for (std::size_t n = 0; n < t.n; ++n)
    for (std::size_t co = 0; co < t.cout; ++co)
      for (std::size_t i = 0; i < oh; ++i)
        for (std::size_t j = 0; j < ow; ++j) {
          const std::size_t yi = ((n * t.cout + co) * oh + i) * ow + j;
          double acc = t.bias ? b.at(co) : 0.0;
          const double g = dy.at(yi);
          if (t.bias) r.db[co] += g;
          for (std::size_t c = 0; c < cin_g; ++c)
            for (std::size_t p = 0; p < t.kh; ++p)
              for (std::size_t q = 0; q < t.kw; ++q) {
                const long ih = long(i * o.stride[0] + p * o.dilation[0]) - long(o.padding[0]);
                const long iw = long(j * o.stride[1] + q * o.dilation[1]) - long(o.padding[1]);
                if (ih < 0 || iw < 0 || ih >= long(t.h) || iw >= long(t.w)) continue;
                const std::size_t ci = (co / cout_g) * cin_g + c;
                const std::size_t xi =
                    ((n * t.c + ci) * t.h + std::size_t(ih)) * t.w + std::size_t(iw);
                const std::size_t wi = ((co * cin_g + c) * t.kh + p) * t.kw + q;
                acc += w.at(wi) * x.at(xi);
                r.dx[xi] += w.at(wi) * g;
                r.dw[wi] += x.at(xi) * g;
              }
          r.y[yi] = acc;
        }
  return r;
}

// max |a − b| <= tol · max(1, max |b|)
void check_close(const Array& a, const std::vector<double>& b, double tol,
                 const std::string& what) {
  BOOST_TEST_REQUIRE(a.size() == b.size());
  double scale = 1, worst = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    scale = std::max(scale, std::abs(b[i]));
    worst = std::max(worst, std::abs(a.at(i) - b[i]));
  }
  BOOST_TEST(worst <= tol * scale, what << ": max error " << worst << " (scale " << scale << ")");
}

// Runs conv2d forward + backward for a random upstream gradient and compares every
// result with the reference.
void check_against_reference(const Case& t, xgrad::DType dtype, double tol) {
  xgrad::Generator gen(11);
  Tensor x = xgrad::uniform({t.n, t.c, t.h, t.w}, -1, 1, gen, dtype).requires_grad_();
  Tensor w =
      xgrad::uniform({t.cout, t.c / t.o.groups, t.kh, t.kw}, -1, 1, gen, dtype).requires_grad_();
  Tensor b = t.bias ? xgrad::uniform({t.cout}, -1, 1, gen, dtype).requires_grad_() : Tensor();
  Tensor y = xgrad::conv2d(x, w, b, t.o);
  Array dy = gen.uniform(y.shape(), -1, 1, dtype);
  y.backward(dy);
  const Ref r = reference(t, x.value(), w.value(), t.bias ? b.value() : Array(), dy);
  BOOST_TEST_INFO(t.label);
  check_close(y.value(), r.y, tol, t.label + " y");
  check_close(x.grad(), r.dx, tol, t.label + " dx");
  check_close(w.grad(), r.dw, tol, t.label + " dW");
  if (t.bias) check_close(b.grad(), r.db, tol, t.label + " db");
}

std::vector<Case> cases() {
  return {
      // stride 1 with output rows >= one vector: the in-place slot kernels
      {"3x3 stride 1", 2, 3, 9, 10, 4, 3, 3, Conv2dOptions()},
      {"padding 1 (row tail overlaps)", 2, 2, 7, 9, 3, 3, 3, Conv2dOptions(1, 1)},
      {"rect kernel 2x3, padding (1, 2), dilation 2", 2, 2, 8, 9, 5, 2, 3,
       Conv2dOptions::axes({1, 1}, {1, 2}, {2, 2})},
      {"groups 2", 3, 4, 6, 11, 6, 3, 3, Conv2dOptions(1, 0, 1, 2)},
      {"depthwise (groups = channels), no bias", 2, 3, 6, 8, 3, 3, 3, Conv2dOptions(1, 1, 1, 3),
       false},
      {"1x1 kernel", 2, 5, 4, 9, 7, 1, 1, Conv2dOptions()},
      {"9 output channels (blocks of 5 + 4)", 2, 2, 6, 12, 9, 3, 2, Conv2dOptions()},
      // im2col + BLAS
      {"stride 2, padding 1", 2, 3, 9, 10, 4, 3, 3, Conv2dOptions(2, 1)},
      {"stride (2, 1), rect kernel 3x2, no bias", 2, 2, 8, 7, 3, 3, 2, Conv2dOptions::axes({2, 1}),
       false},
      {"stride 3, dilation 2, groups 2", 2, 4, 11, 12, 4, 3, 3, Conv2dOptions(3, 2, 2, 2)},
      {"narrow output (OW < one vector)", 3, 2, 6, 6, 3, 5, 5, Conv2dOptions()},
      {"padding larger than the kernel", 1, 1, 3, 3, 2, 2, 2, Conv2dOptions(1, 3)},
  };
}

using xgrad::testing::message_is;

}  // namespace

BOOST_AUTO_TEST_SUITE(ops_conv2d_tests)

BOOST_AUTO_TEST_CASE(hand_computed_values_and_gradients) {
  // x = 1..9 (3x3), W = [[1, 2], [3, 4]], b = 0.5: y[i][j] = Σ W[p][q] x[i+p][j+q] + 0.5
  Tensor x = xgrad::tensor({{{{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}, {7.0, 8.0, 9.0}}}}, kFloat64)
                 .requires_grad_();
  Tensor w = xgrad::tensor({{{{1.0, 2.0}, {3.0, 4.0}}}}, kFloat64).requires_grad_();
  Tensor b = xgrad::tensor({0.5}, kFloat64).requires_grad_();
  Tensor y = xgrad::conv2d(x, w, b);
  BOOST_TEST(y.shape() == Shape({1, 1, 2, 2}));
  check_close(y.value(), {37.5, 47.5, 67.5, 77.5}, 1e-15, "y");
  y.backward(Array::full({1, 1, 2, 2}, 1.0, kFloat64));
  check_close(b.grad(), {4.0}, 1e-15, "db");                         // four outputs
  check_close(w.grad(), {12.0, 16.0, 24.0, 28.0}, 1e-15, "dW");      // sums of the 2x2 patches
  check_close(x.grad(), {1, 3, 2, 4, 10, 6, 3, 7, 4}, 1e-15, "dx");  // W summed where it covers
  // stride 2, padding 1: the four corners of the padded 5x5 image
  Tensor y2 = xgrad::conv2d(x, w, b, Conv2dOptions(2, 1));
  check_close(y2.value(), {4.5, 18.5, 36.5, 77.5}, 1e-15, "y stride 2 padding 1");
}

BOOST_AUTO_TEST_CASE(matches_the_naive_loops_float64) {
  for (const Case& t : cases()) check_against_reference(t, kFloat64, 1e-13);
}

BOOST_AUTO_TEST_CASE(matches_the_naive_loops_float32_w3_shapes) {
  check_against_reference({"W3 (a)", 8, 1, 28, 28, 6, 5, 5, Conv2dOptions()}, kFloat32, 2e-6);
  check_against_reference({"W3 (b)", 8, 6, 12, 12, 16, 5, 5, Conv2dOptions()}, kFloat32, 2e-6);
  check_against_reference({"float32 padding 2", 3, 3, 10, 13, 5, 5, 5, Conv2dOptions(1, 2)},
                          kFloat32, 2e-6);
  check_against_reference({"float32 stride 2", 3, 3, 10, 13, 5, 3, 3, Conv2dOptions(2)}, kFloat32,
                          2e-6);
}

BOOST_AUTO_TEST_CASE(gradcheck_conv2d) {
  xgrad::Generator gen(5);
  const Conv2dOptions opts[] = {Conv2dOptions(), Conv2dOptions(2, 1),
                                Conv2dOptions::axes({1, 1}, {1, 0}, {2, 1}, 2)};
  for (const Conv2dOptions& o : opts) {
    const std::vector<Tensor> in = {xgrad::randn({2, 2, 6, 7}, gen, kFloat64),
                                    xgrad::randn({4, 2 / o.groups, 3, 2}, gen, kFloat64),
                                    xgrad::randn({4}, gen, kFloat64)};
    xgrad::GradcheckResult r = xgrad::gradcheck(
        "conv2d", [o](const std::vector<Tensor>& v) { return xgrad::conv2d(v[0], v[1], v[2], o); },
        in);
    BOOST_TEST(r.pass(), r.message());
  }
}

BOOST_AUTO_TEST_CASE(bad_shapes_are_errors_naming_the_shapes) {
  auto x = xgrad::zeros({2, 3, 8, 8});
  BOOST_CHECK_EXCEPTION(
      xgrad::conv2d(x, xgrad::zeros({4, 2, 3, 3})), xgrad::ShapeError,
      message_is("conv2d: input channels must equal weight.shape[1] * groups (1): "
                 "input (2, 3, 8, 8), weight (4, 2, 3, 3)"));
  BOOST_CHECK_EXCEPTION(xgrad::conv2d(xgrad::zeros({1, 1, 4, 4}), xgrad::zeros({1, 1, 5, 5})),
                        xgrad::ShapeError,
                        message_is("conv2d: empty output (stride 1x1, padding 0x0, dilation 1x1): "
                                   "input (1, 1, 4, 4), weight (1, 1, 5, 5)"));
  BOOST_CHECK_EXCEPTION(xgrad::conv2d(xgrad::zeros({1, 1, 5, 5}), xgrad::zeros({1, 1, 3, 3}),
                                      Tensor(), Conv2dOptions(1, 0, 3)),
                        xgrad::ShapeError,
                        message_is("conv2d: empty output (stride 1x1, padding 0x0, dilation 3x3): "
                                   "input (1, 1, 5, 5), weight (1, 1, 3, 3)"));
  BOOST_CHECK_EXCEPTION(xgrad::conv2d(x, xgrad::zeros({6, 3, 5, 5}), xgrad::zeros({5})),
                        xgrad::ShapeError,
                        message_is("conv2d: bias must be (Cout) with Cout = weight.shape[0]: "
                                   "bias (5), weight (6, 3, 5, 5)"));
  BOOST_CHECK_EXCEPTION(xgrad::conv2d(xgrad::zeros({3, 8, 8}), xgrad::zeros({6, 3, 5, 5})),
                        xgrad::ShapeError,
                        message_is("conv2d: input must be 4-D (N, C, H, W): input (3, 8, 8)"));
  BOOST_CHECK_EXCEPTION(
      xgrad::conv2d(xgrad::zeros({1, 2, 8, 8}), xgrad::zeros({5, 1, 3, 3}), Tensor(),
                    Conv2dOptions(1, 0, 1, 2)),
      xgrad::ShapeError,
      message_is("conv2d: weight.shape[0] must be divisible by groups (2): weight (5, 1, 3, 3)"));
  BOOST_CHECK_EXCEPTION(xgrad::conv2d(x, xgrad::zeros({4, 3, 3, 3}), Tensor(), Conv2dOptions(0)),
                        xgrad::ValueError,
                        message_is("conv2d: stride, dilation and groups must be positive"));
  BOOST_CHECK_THROW(xgrad::conv2d(x, xgrad::zeros({4, 3, 3, 3}, kFloat64)), xgrad::DTypeError);
}

BOOST_AUTO_TEST_CASE(one_and_two_threads_give_identical_bits_on_w3_shapes) {
  struct Shapes {
    Shape x, w, y;
  };
  for (const Shapes& s : {Shapes{{64, 1, 28, 28}, {6, 1, 5, 5}, {64, 6, 24, 24}},
                          Shapes{{64, 6, 12, 12}, {16, 6, 5, 5}, {64, 16, 8, 8}}}) {
    xgrad::Generator gen(3);
    const Array x0 = gen.uniform(s.x, -1, 1), w0 = gen.uniform(s.w, -0.2, 0.2);
    const Array b0 = gen.uniform({s.w[0]}, -0.1, 0.1), dy = gen.uniform(s.y, -1, 1);
    std::vector<Array> runs[2];
    for (std::size_t threads : {1, 2}) {
      xgrad::ThreadLimit limit(threads);
      Tensor x(x0, true), w(w0, true), b(b0, true);
      Tensor y = xgrad::conv2d(x, w, b);
      y.backward(dy);
      runs[threads - 1] = {y.value(), x.grad(), w.grad(), b.grad()};
    }
    for (std::size_t i = 0; i < 4; ++i) {
      BOOST_TEST_INFO("result " << i << " (y, dx, dW, db) for x " << xgrad::format_shape(s.x));
      const Array &a = runs[0][i], &c = runs[1][i];
      BOOST_TEST_REQUIRE(a.size() == c.size());
      BOOST_TEST(std::memcmp(a.data<float>(), c.data<float>(), a.size() * sizeof(float)) == 0);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
