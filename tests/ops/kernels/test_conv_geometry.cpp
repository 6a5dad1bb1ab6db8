// Window geometry: the output-size formula, im2col against a direct reading
// of the definition, and col2im as its adjoint.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <vector>

#include "framework/generator.h"
#include "ops/kernels/conv_geometry.h"

using namespace xgrad;

BOOST_AUTO_TEST_SUITE(ops_kernels_conv_geometry_tests)

BOOST_AUTO_TEST_CASE(output_size_formula) {
  // O = floor((I + 2P - D(K-1) - 1) / S) + 1, by hand.
  BOOST_TEST(conv_output_size(28, 5, 1, 0) == 24u);
  BOOST_TEST(conv_output_size(28, 5, 2, 2) == 14u);   // (28 + 4 - 4 - 1)/2 + 1 = 14
  BOOST_TEST(conv_output_size(7, 3, 2, 1, 2) == 3u);  // (7 + 2 - 4 - 1)/2 + 1 = 3
  BOOST_TEST(conv_output_size(4, 5, 1, 0) == 0u);     // the window does not fit
  BOOST_TEST(conv_output_size(4, 5, 1, 1) == 2u);
}

BOOST_AUTO_TEST_CASE(im2col_reads_each_tap_and_col2im_is_its_adjoint) {
  const WindowGeometry g = make_window_geometry(2, 5, 6, {3, 2}, {2, 1}, {1, 0}, {1, 2});
  BOOST_TEST(g.out_h == conv_output_size(5, 3, 2, 1, 1));
  BOOST_TEST(g.out_w == conv_output_size(6, 2, 1, 0, 2));
  Generator gen(1);
  const Array x = gen.normal({g.channels * g.in_plane()}, 0, 1, kFloat64);
  const Array c = gen.normal({g.col_rows() * g.out_plane()}, 0, 1, kFloat64);
  std::vector<double> col(g.col_rows() * g.out_plane()), dx(g.channels * g.in_plane(), 0.0);
  kernels::im2col<double>(g, x.data<double>(), col.data());
  // Direct reading of the definition.
  for (std::size_t ch = 0; ch < g.channels; ++ch)
    for (std::size_t kh = 0; kh < 3; ++kh)
      for (std::size_t kw = 0; kw < 2; ++kw)
        for (std::size_t oh = 0; oh < g.out_h; ++oh)
          for (std::size_t ow = 0; ow < g.out_w; ++ow) {
            const long ih = long(oh * 2) - 1 + long(kh), iw = long(ow) + long(kw * 2);
            const bool inside = ih >= 0 && ih < 5 && iw >= 0 && iw < 6;
            const double want = inside ? x.at(ch * 30 + std::size_t(ih) * 6 + std::size_t(iw)) : 0;
            BOOST_TEST(col[((ch * 3 + kh) * 2 + kw) * g.out_plane() + oh * g.out_w + ow] == want);
          }
  // <col2im(c), x> == <c, im2col(x)>
  kernels::col2im_add<double>(g, c.data<double>(), dx.data());
  double lhs = 0, rhs = 0;
  for (std::size_t i = 0; i < dx.size(); ++i) lhs += dx[i] * x.at(i);
  for (std::size_t i = 0; i < col.size(); ++i) rhs += c.at(i) * col[i];
  BOOST_TEST(std::abs(lhs - rhs) < 1e-12 * (1 + std::abs(rhs)));
}

BOOST_AUTO_TEST_CASE(pool_geometry_errors) {
  BOOST_CHECK_EXCEPTION(pool_geometry("max_pool2d", {1, 1, 2, 2}, Pool2dOptions(3)), ShapeError,
                        [](const ShapeError& e) {
                          return std::string(e.what()) ==
                                 "max_pool2d: empty output (kernel 3x3, stride 3x3, padding 0x0): "
                                 "input (1, 1, 2, 2)";
                        });
  BOOST_CHECK_THROW(pool_geometry("max_pool2d", {1, 1, 4, 4}, Pool2dOptions(2, 2, 2)), ValueError);
}

BOOST_AUTO_TEST_SUITE_END()
