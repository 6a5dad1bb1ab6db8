// Tests for ops/max_pool2d.h: hand values, argmax routing of the gradient (overlapping
// windows add up, ties go to the first maximum, padding never wins), gradcheck, errors,
// and 1 vs 2 threads.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "framework/parallel.h"
#include "ops/max_pool2d.h"
#include "ops/op_db/samples.h"
#include "tests/test_messages.h"

using xgrad::Array;
using xgrad::kFloat64;
using xgrad::Pool2dOptions;
using xgrad::Shape;
using xgrad::Tensor;

namespace {
void check_values(const Array& a, const std::vector<double>& expected) {
  BOOST_TEST_REQUIRE(a.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    BOOST_TEST_INFO("element " << i);
    BOOST_TEST(a.at(i) == expected[i]);
  }
}

using xgrad::testing::message_is;
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_max_pool2d_tests)

BOOST_AUTO_TEST_CASE(window_maxima_and_gradient_to_the_argmax) {
  Tensor x = xgrad::tensor({{{{1.0, 2.0, 5.0, 3.0},
                              {4.0, 0.0, 1.0, 2.0},
                              {7.0, 8.0, 2.0, 9.0},
                              {6.0, 5.0, 4.0, 3.0}}}},
                           kFloat64)
                 .requires_grad_();
  Tensor y = xgrad::max_pool2d(x, Pool2dOptions(2));
  BOOST_TEST(y.shape() == Shape({1, 1, 2, 2}));
  check_values(y.value(), {4, 5, 8, 9});
  y.backward(xgrad::tensor({{{{1.0, 2.0}, {3.0, 4.0}}}}, kFloat64).value());
  check_values(x.grad(), {0, 0, 2, 0, 1, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0});
}

BOOST_AUTO_TEST_CASE(overlapping_windows_add_up_at_a_shared_argmax) {
  // 9 in the centre is the max of all four 2x2 windows (stride 1)
  Tensor x = xgrad::tensor({{{{1.0, 2.0, 3.0}, {4.0, 9.0, 5.0}, {6.0, 7.0, 8.0}}}}, kFloat64)
                 .requires_grad_();
  Tensor y = xgrad::max_pool2d(x, Pool2dOptions(2, 1));
  check_values(y.value(), {9, 9, 9, 9});
  y.backward(xgrad::tensor({{{{1.0, 2.0}, {3.0, 4.0}}}}, kFloat64).value());
  check_values(x.grad(), {0, 0, 0, 0, 10, 0, 0, 0, 0});
}

BOOST_AUTO_TEST_CASE(padding_never_wins_and_ties_go_to_the_first) {
  // all negative: a zero padding would win, −∞ padding does not
  Tensor x = xgrad::tensor({{{{-1.0, -2.0, -3.0, -4.0},
                              {-5.0, -6.0, -7.0, -8.0},
                              {-9.0, -10.0, -11.0, -12.0},
                              {-13.0, -14.0, -15.0, -16.0}}}},
                           kFloat64);
  check_values(xgrad::max_pool2d(x, Pool2dOptions(3, 2, 1)).value(), {-1, -2, -5, -6});
  Tensor t = xgrad::ones({1, 1, 2, 2}, kFloat64).requires_grad_();
  xgrad::max_pool2d(t, Pool2dOptions(2)).backward(Array::full({1, 1, 1, 1}, 5.0, kFloat64));
  check_values(t.grad(), {5, 0, 0, 0});
}

BOOST_AUTO_TEST_CASE(a_nan_in_a_window_is_its_max) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor x =
      xgrad::tensor({{{{1.0, 2.0, 5.0, 3.0}, {nan, 0.0, 1.0, 2.0}}}}, kFloat64).requires_grad_();
  Tensor y = xgrad::max_pool2d(x, Pool2dOptions(2));
  BOOST_TEST(std::isnan(y.value().at(0)));
  BOOST_TEST(y.value().at(1) == 5.0);
  y.backward(xgrad::tensor({{{{1.0, 2.0}}}}, kFloat64).value());
  check_values(x.grad(), {0, 0, 2, 0, 1, 0, 0, 0});
}

// Many planes of small integers (so most windows tie), against a plain loop that scans each
// window in row-major order and keeps the first maximum. Each shape NaN-free (the vectorised
// 2x2 path: rows shorter and longer than a vector, odd sides with a row and a column no
// window covers, odd plane sizes) and with one NaN (its block of planes takes the plain loop).
BOOST_AUTO_TEST_CASE(ties_and_nans_match_a_plain_loop_over_many_planes) {
  xgrad::Generator gen(9);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const Shape& s :
       {Shape{5, 7, 8, 8}, Shape{3, 2, 24, 24}, Shape{2, 3, 6, 36}, Shape{2, 2, 7, 9},
        Shape{3, 5, 11, 11}, Shape{2, 3, 13, 12}, Shape{2, 3, 12, 13}, Shape{1, 41, 5, 5},
        Shape{2, 2, 3, 3}, Shape{1, 3, 2, 35}}) {
    for (const bool with_nan : {false, true}) {  // NaN-free planes take the vectorised path
      for (xgrad::DType dtype : {xgrad::kFloat32, kFloat64}) {
        Array v = gen.uniform(s, 0, 3, kFloat64);
        for (std::size_t i = 0; i < v.size(); ++i) v.data<double>()[i] = std::floor(v.at(i));
        if (with_nan) v.data<double>()[v.size() / 2 + 1] = nan;  // one plane in the middle
        Tensor x(v.to(dtype), true);
        Tensor y = xgrad::max_pool2d(x, Pool2dOptions(2));
        const Array dy = gen.uniform(y.shape(), 1, 2, dtype);
        y.backward(dy);
        const std::size_t H = s[2], W = s[3], OH = H / 2, OW = W / 2;
        std::vector<double> grad(v.size(), 0.0);
        for (std::size_t p = 0; p < s[0] * s[1]; ++p) {
          for (std::size_t i = 0; i < OH; ++i) {
            for (std::size_t j = 0; j < OW; ++j) {
              std::size_t best = p * H * W + 2 * i * W + 2 * j;
              for (std::size_t a = 0; a < 2; ++a) {
                for (std::size_t b = 0; b < 2; ++b) {
                  const std::size_t k = p * H * W + (2 * i + a) * W + 2 * j + b;
                  if (std::isnan(v.at(best))) continue;
                  if (std::isnan(v.at(k)) || v.at(k) > v.at(best)) best = k;
                }
              }
              const std::size_t o = (p * OH + i) * OW + j;
              BOOST_TEST_INFO(xgrad::format_shape(s) << " " << xgrad::dtype_name(dtype)
                                                     << (with_nan ? " NaN" : "") << " out " << o);
              BOOST_TEST((y.value().at(o) == v.at(best) ||
                          (std::isnan(v.at(best)) && std::isnan(y.value().at(o)))));
              grad[best] += dy.at(o);
            }
          }
        }
        for (std::size_t k = 0; k < v.size(); ++k) {
          BOOST_TEST_INFO(xgrad::format_shape(s) << " " << xgrad::dtype_name(dtype)
                                                 << (with_nan ? " NaN" : "") << " in " << k);
          BOOST_TEST(x.grad().at(k) == grad[k]);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(gradcheck_max_pool2d) {
  xgrad::Generator gen(2);
  for (const Pool2dOptions& o :
       {Pool2dOptions(2), Pool2dOptions(3, 2, 1), Pool2dOptions::axes({2, 3}, {1, 2}, {1, 1})}) {
    xgrad::GradcheckResult r = xgrad::gradcheck(
        "max_pool2d", [o](const std::vector<Tensor>& v) { return xgrad::max_pool2d(v[0], o); },
        {xgrad::samples::distinct({2, 2, 6, 7}, gen)});
    BOOST_TEST(r.pass(), r.message());
  }
}

BOOST_AUTO_TEST_CASE(bad_configurations_are_errors) {
  BOOST_CHECK_EXCEPTION(xgrad::max_pool2d(xgrad::zeros({1, 1, 2, 2}), Pool2dOptions(3)),
                        xgrad::ShapeError,
                        message_is("max_pool2d: empty output (kernel 3x3, stride 3x3, padding "
                                   "0x0): input (1, 1, 2, 2)"));
  BOOST_CHECK_EXCEPTION(xgrad::max_pool2d(xgrad::zeros({4, 4}), Pool2dOptions(2)),
                        xgrad::ShapeError,
                        message_is("max_pool2d: input must be 4-D (N, C, H, W): input (4, 4)"));
  BOOST_CHECK_EXCEPTION(
      xgrad::max_pool2d(xgrad::zeros({1, 1, 4, 4}), Pool2dOptions(2, 2, 2)), xgrad::ValueError,
      message_is("max_pool2d: padding must be at most half the kernel: kernel 2x2, padding 2x2"));
}

BOOST_AUTO_TEST_CASE(one_and_two_threads_give_identical_bits) {
  xgrad::Generator gen(4);
  const Array x0 = gen.uniform({64, 6, 24, 24}, -1, 1), dy = gen.uniform({64, 6, 12, 12}, -1, 1);
  Array out[2][2];
  for (std::size_t threads : {1, 2}) {
    xgrad::ThreadLimit limit(threads);
    Tensor x(x0, true);
    Tensor y = xgrad::max_pool2d(x, Pool2dOptions(2));
    y.backward(dy);
    out[threads - 1][0] = y.value();
    out[threads - 1][1] = x.grad();
  }
  for (int i = 0; i < 2; ++i) {
    BOOST_TEST(std::memcmp(out[0][i].data<float>(), out[1][i].data<float>(),
                           out[0][i].size() * sizeof(float)) == 0);
  }
}

BOOST_AUTO_TEST_SUITE_END()
