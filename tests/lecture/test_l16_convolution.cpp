// L16: convolution — local patches, shared weights, filter size and stride.
// Checked: a conv layer has Cout·Cin·K·K + Cout parameters whatever the image size (the
// lecture's dense layer on a 1M-pixel image with 10k units would need 10^10 weights:
// computed here, not allocated); the output size ⌊(H + 2P − K)/S⌋ + 1 (with dilation D:
// ⌊(H + 2P − D(K−1) − 1)/S⌋ + 1) is the actual output shape; the weight gradient is the
// sum over all patch positions of dy · patch (shared weights), by an explicit loop; and a
// conv is a dense layer whose weight matrix repeats the filter at every position, in the
// forward and the backward (the shared weight's gradient is the sum over its copies).
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "framework/factory.h"
#include "models/layers/conv2d.h"
#include "ops/conv2d.h"
#include "ops/linear.h"
#include "ops/reshape.h"

using namespace xgrad;

namespace {

// x[n][c][i][j] with zeros outside the image (the padding).
double at(const Array& x, const Shape& s, std::size_t n, std::size_t c, long i, long j) {
  if (i < 0 || j < 0 || i >= long(s[2]) || j >= long(s[3])) return 0.0;
  return x.at(((n * s[1] + c) * s[2] + std::size_t(i)) * s[3] + std::size_t(j));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lecture_l16_convolution_tests)

BOOST_AUTO_TEST_CASE(parameter_count_does_not_depend_on_the_image_size) {
  Generator gen(161);
  Conv2d conv(3, 8, 5, gen);
  const std::size_t expected = 8 * 3 * 5 * 5 + 8;  // Cout·Cin·K·K + Cout
  for (std::size_t side : {8, 28, 64}) {
    Tensor y = conv(rand({1, 3, side, side}, gen));
    BOOST_TEST(y.shape() == Shape({1, 8, side - 4, side - 4}));
    BOOST_TEST(conv.parameter_count() == expected);
  }
  // The lecture's dense example: 1000x1000 pixels fully connected to 10,000 hidden units.
  const std::uint64_t pixels = 1000 * 1000, units = 10000;
  const std::uint64_t dense_weights = pixels * units;
  BOOST_TEST(dense_weights == std::uint64_t(10000000000));  // 10^10, never allocated
  // A conv layer with 100 filters of 10x10 on the same image: 10^4 weights + 100 biases.
  Conv2d filters(1, 100, 10, gen);
  BOOST_TEST(filters.parameter_count() == 100u * 10 * 10 + 100);
  BOOST_TEST(dense_weights / filters.parameter_count() > 900000u);
}

BOOST_AUTO_TEST_CASE(output_size_formula_is_the_output_shape) {
  Generator gen(162);
  std::size_t checked = 0;
  for (std::size_t h : {5, 7, 12}) {
    for (std::size_t k : {1, 2, 3, 5}) {
      for (std::size_t s : {1, 2, 3}) {
        for (std::size_t p : {0, 1, 2}) {
          for (std::size_t d : {1, 2}) {
            const long span = long(d * (k - 1) + 1);
            if (long(h + 2 * p) < span) continue;                 // the window does not fit
            const std::size_t lecture = (h + 2 * p - k) / s + 1;  // the slide's formula (D = 1)
            const std::size_t dilated = (h + 2 * p - d * (k - 1) - 1) / s + 1;
            if (d == 1) BOOST_TEST(lecture == dilated);
            Tensor x = rand({1, 1, h, h + 3}, gen, kFloat64);
            Tensor w = rand({2, 1, k, k}, gen, kFloat64);
            Tensor y = conv2d(x, w, Tensor(), Conv2dOptions(s, p, d));
            const std::size_t wide = (h + 3 + 2 * p - d * (k - 1) - 1) / s + 1;
            BOOST_TEST_INFO("H " << h << " K " << k << " S " << s << " P " << p << " D " << d);
            BOOST_TEST(y.shape() == Shape({1, 2, dilated, wide}));
            ++checked;
          }
        }
      }
    }
  }
  BOOST_TEST(checked > 100u);
}

BOOST_AUTO_TEST_CASE(weight_gradient_is_the_sum_over_patch_positions) {
  Generator gen(163);
  for (const Conv2dOptions& o : {Conv2dOptions(), Conv2dOptions(2, 1)}) {
    const std::size_t n = 2, cin = 3, h = 7, wd = 8, cout = 4, k = 3;
    Tensor x(gen.normal({n, cin, h, wd}, 0, 1, kFloat64));
    Tensor w = Tensor(gen.normal({cout, cin, k, k}, 0, 1, kFloat64)).requires_grad_();
    Tensor b = Tensor(gen.normal({cout}, 0, 1, kFloat64)).requires_grad_();
    Tensor y = conv2d(x, w, b, o);
    const Array dy = gen.normal(y.shape(), 0, 1, kFloat64);
    y.backward(dy);
    const std::size_t oh = y.shape()[2], ow = y.shape()[3];
    // ∂J/∂W = Σ over images and positions (i, j) of dy[n][o][i][j] · patch(n, i, j)
    std::vector<double> dw(cout * cin * k * k, 0.0), db(cout, 0.0);
    for (std::size_t im = 0; im < n; ++im) {
      for (std::size_t i = 0; i < oh; ++i) {
        for (std::size_t j = 0; j < ow; ++j) {
          std::vector<double> patch(cin * k * k);  // the k×k window under output (i, j)
          for (std::size_t c = 0; c < cin; ++c) {
            for (std::size_t p = 0; p < k; ++p) {
              for (std::size_t q = 0; q < k; ++q) {
                patch[(c * k + p) * k + q] =
                    at(x.value(), x.shape(), im, c, long(i * o.stride[0] + p) - long(o.padding[0]),
                       long(j * o.stride[1] + q) - long(o.padding[1]));
              }
            }
          }
          for (std::size_t co = 0; co < cout; ++co) {
            const double g = dy.at(((im * cout + co) * oh + i) * ow + j);
            db[co] += g;
            for (std::size_t r = 0; r < patch.size(); ++r)
              dw[co * patch.size() + r] += g * patch[r];
          }
        }
      }
    }
    for (std::size_t e = 0; e < dw.size(); ++e)
      BOOST_TEST(std::abs(w.grad().at(e) - dw[e]) <= 1e-12);
    for (std::size_t co = 0; co < cout; ++co)
      BOOST_TEST(std::abs(b.grad().at(co) - db[co]) <= 1e-12);
  }
}

BOOST_AUTO_TEST_CASE(conv_is_a_dense_layer_repeating_the_filter) {
  Generator gen(164);
  const std::size_t n = 2, cin = 2, h = 5, wd = 6, cout = 3, k = 3, s = 2, pad = 1;
  const Conv2dOptions o(s, pad);
  const std::size_t oh = (h + 2 * pad - k) / s + 1, ow = (wd + 2 * pad - k) / s + 1;
  const Array x0 = gen.normal({n, cin, h, wd}, 0, 1, kFloat64);
  const Array w0 = gen.normal({cout, cin, k, k}, 0, 1, kFloat64);
  const Array b0 = gen.normal({cout}, 0, 1, kFloat64);
  // Dense weight matrix M (Cout·OH·OW, Cin·H·W): row (o, i, j) holds W[o] at the pixels of
  // the patch under output (i, j) (the padding has no pixel: it multiplies zeros), and the
  // bias vector repeats b[o] at every position.
  const std::size_t rows = cout * oh * ow, cols = cin * h * wd;
  Array m = Array::zeros({rows, cols}, kFloat64), bv = Array::zeros({rows}, kFloat64);
  struct Copy {
    std::size_t m_index, w_index;
  };
  std::vector<Copy> copies;  // where each weight is repeated
  for (std::size_t co = 0; co < cout; ++co) {
    for (std::size_t i = 0; i < oh; ++i) {
      for (std::size_t j = 0; j < ow; ++j) {
        const std::size_t row = (co * oh + i) * ow + j;
        bv.set(row, b0.at(co));
        for (std::size_t c = 0; c < cin; ++c) {
          for (std::size_t p = 0; p < k; ++p) {
            for (std::size_t q = 0; q < k; ++q) {
              const long ih = long(i * s + p) - long(pad), iw = long(j * s + q) - long(pad);
              if (ih < 0 || iw < 0 || ih >= long(h) || iw >= long(wd)) continue;
              const std::size_t col = (c * h + std::size_t(ih)) * wd + std::size_t(iw);
              const std::size_t wi = ((co * cin + c) * k + p) * k + q;
              m.set(row * cols + col, w0.at(wi));
              copies.push_back({row * cols + col, wi});
            }
          }
        }
      }
    }
  }
  Tensor xc(x0, true), w(w0, true), b(b0, true);
  Tensor xd(x0, true), M(m, true), B(bv, true);
  Tensor y_conv = flatten(conv2d(xc, w, b, o));
  Tensor y_dense = linear(flatten(xd), M, B);
  BOOST_TEST(y_conv.shape() == y_dense.shape());
  BOOST_TEST(max_abs_diff(y_conv.value(), y_dense.value()) <= 1e-12);
  const Array u = gen.normal(y_conv.shape(), 0, 1, kFloat64);
  y_conv.backward(u);
  y_dense.backward(u);
  BOOST_TEST(max_abs_diff(xc.grad(), xd.grad()) <= 1e-12);
  // The filter's gradient is the sum of the gradients of all its copies in M; the bias's,
  // the sum over its positions.
  std::vector<double> dw(w0.size(), 0.0), db(cout, 0.0);
  for (const Copy& cp : copies) dw[cp.w_index] += M.grad().at(cp.m_index);
  for (std::size_t r = 0; r < rows; ++r) db[r / (oh * ow)] += B.grad().at(r);
  for (std::size_t e = 0; e < dw.size(); ++e) BOOST_TEST(std::abs(w.grad().at(e) - dw[e]) <= 1e-12);
  for (std::size_t co = 0; co < cout; ++co) BOOST_TEST(std::abs(b.grad().at(co) - db[co]) <= 1e-12);
}

BOOST_AUTO_TEST_SUITE_END()
