// The conv2d kernel drivers (forward, input and parameter gradients) against a naive
// loop, on shapes that take the AVX-512 channel-vector and pixel-vector kernels where
// the CPU has AVX-512 (ops/kernels/conv_avx512.h) and the 256-bit kernels elsewhere:
// many channels (32 -> 64 on 12×12, the main job's conv2), planes whose 16-pixel vectors
// span rows, padding, groups, 48 output channels (a 32 + 16 split), 7-tap kernel rows.
// Results are bit-identical for 1 and 2 threads.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <vector>

#include "framework/generator.h"
#include "framework/parallel.h"
#include "ops/kernels/conv2d_kernels.h"
#include "ops/kernels/cpu_isa.h"

using namespace xgrad;

namespace {

struct Case {
  std::size_t n, cin, h, w, cout, k, pad, groups;
};

struct Result {
  std::vector<float> y, dx, dw, db;
};

kernels::Conv2dShape shape_of(const Case& c) {
  kernels::Conv2dShape s;
  s.batch = c.n;
  s.in_channels = c.cin;
  s.out_channels = c.cout;
  s.groups = c.groups;
  s.window =
      make_window_geometry(c.cin / c.groups, c.h, c.w, {c.k, c.k}, {1, 1}, {c.pad, c.pad}, {1, 1});
  return s;
}

std::vector<float> uniform(std::size_t n, std::uint64_t seed) {
  Generator gen(seed);
  const Array a = gen.uniform({n}, -1, 1, kFloat32);
  return std::vector<float>(a.data<float>(), a.data<float>() + n);
}

Result run(const kernels::Conv2dShape& s, const std::vector<float>& x, const std::vector<float>& w,
           const std::vector<float>& b, const std::vector<float>& dy) {
  Result r;
  r.y.resize(dy.size());
  r.dx.resize(x.size());
  r.dw.resize(w.size());
  r.db.resize(b.size());
  kernels::conv2d_forward<float>(s, x.data(), w.data(), b.data(), r.y.data());
  kernels::conv2d_backward_input<float>(s, w.data(), dy.data(), r.dx.data());
  kernels::conv2d_backward_params<float>(s, x.data(), dy.data(), r.dw.data(), r.db.data());
  return r;
}

double worst(const std::vector<float>& got, const std::vector<double>& want) {
  double e = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double d = std::abs(double(got[i]) - want[i]);
    e = std::isnan(d) ? HUGE_VAL : std::max(e, d);
  }
  return e;
}

void check(const Case& c) {
  const kernels::Conv2dShape s = shape_of(c);
  const std::size_t oh = s.window.out_h, ow = s.window.out_w, cg = c.cin / c.groups;
  const std::size_t og = c.cout / c.groups;
  const std::vector<float> x = uniform(c.n * c.cin * c.h * c.w, 1);
  const std::vector<float> w = uniform(c.cout * cg * c.k * c.k, 2), b = uniform(c.cout, 3);
  const std::vector<float> dy = uniform(c.n * c.cout * oh * ow, 4);
  // The definition, accumulated in double.
  std::vector<double> y(dy.size()), dx(x.size(), 0.0), dw(w.size(), 0.0), db(b.size(), 0.0);
  for (std::size_t n = 0; n < c.n; ++n) {
    for (std::size_t o = 0; o < c.cout; ++o) {
      for (std::size_t i = 0; i < oh; ++i) {
        for (std::size_t j = 0; j < ow; ++j) {
          const std::size_t yi = ((n * c.cout + o) * oh + i) * ow + j;
          double acc = b[o];
          db[o] += dy[yi];
          for (std::size_t ci = 0; ci < cg; ++ci) {
            for (std::size_t kh = 0; kh < c.k; ++kh) {
              for (std::size_t kw = 0; kw < c.k; ++kw) {
                const long ih = long(i + kh) - long(c.pad), iw = long(j + kw) - long(c.pad);
                if (ih < 0 || iw < 0 || ih >= long(c.h) || iw >= long(c.w)) continue;
                const std::size_t xi = ((n * c.cin + o / og * cg + ci) * c.h + ih) * c.w + iw;
                const std::size_t wi = ((o * cg + ci) * c.k + kh) * c.k + kw;
                acc += double(x[xi]) * w[wi];
                dx[xi] += double(w[wi]) * dy[yi];
                dw[wi] += double(x[xi]) * dy[yi];
              }
            }
          }
          y[yi] = acc;
        }
      }
    }
  }
  Result one, two;
  {
    ThreadLimit limit(1);
    one = run(s, x, w, b, dy);
  }
  {
    ThreadLimit limit(2);
    two = run(s, x, w, b, dy);
  }
  // float sums of up to cg·k² (forward, dx) or n·oh·ow (dw) terms of size ≤ 1
  const double depth = double(cg * c.k * c.k), pixels = double(c.n * oh * ow);
  BOOST_TEST(worst(one.y, y) <= 2e-6 * depth);
  BOOST_TEST(worst(one.dx, dx) <= 2e-6 * double(og * c.k * c.k));
  BOOST_TEST(worst(one.dw, dw) <= 2e-6 * pixels);
  BOOST_TEST(worst(one.db, db) <= 2e-6 * pixels);
  BOOST_TEST((one.y == two.y));
  BOOST_TEST((one.dx == two.dx));
  BOOST_TEST((one.dw == two.dw));
  BOOST_TEST((one.db == two.db));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ops_kernels_conv_avx512_tests)

BOOST_AUTO_TEST_CASE(drivers_against_the_definition) {
  BOOST_TEST_MESSAGE("kernels: " << kernels::conv2d_path());
  const Case cases[] = {
      {3, 32, 12, 12, 64, 5, 0, 1},  // the main job's conv2 (8×8 planes: 2 rows per vector)
      {2, 4, 16, 16, 32, 5, 0, 1},   // 12-wide rows (dx on the 256-bit scatter)
      {2, 2, 20, 20, 16, 5, 0, 1},   // 16-wide rows: one dY row per vector
      {2, 4, 13, 15, 32, 3, 1, 1},   // padding; 15-wide rows: the last forward tile overlaps
      {2, 32, 13, 13, 64, 3, 0, 1},  // 3x3 kernels, 11-wide rows: forward tiles across rows
      {2, 4, 9, 10, 32, 3, 1, 1},    // padding, forward tiles across the padded rows
      {2, 8, 14, 14, 32, 5, 2, 2},   // groups, padding
      {2, 16, 10, 10, 48, 3, 0, 1},  // 48 channels: blocks of 32 and 16
      {2, 8, 12, 12, 16, 7, 0, 1},   // 7-tap kernel rows
      {2, 1, 28, 28, 32, 5, 0, 1},   // one input channel (short inner dimension)
  };
  for (const Case& c : cases) {
    BOOST_TEST_INFO("n " << c.n << " cin " << c.cin << " " << c.h << "x" << c.w << " cout "
                         << c.cout << " k " << c.k << " pad " << c.pad << " groups " << c.groups);
    check(c);
  }
}

BOOST_AUTO_TEST_SUITE_END()
