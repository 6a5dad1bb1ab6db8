// transpose and permute: values against index loops written out here,
// gradients (gradcheck and dx = permute(dy, inverse)), shape errors, and
// bit-identical results for 1 and 2 threads on a copy large enough to split.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "framework/parallel.h"
#include "ops/transpose.h"
#include "tests/test_messages.h"

using namespace xgrad;

namespace {
Array iota(const Shape& shape, DType dtype = kFloat64) {
  Array a = Array::empty(shape, dtype);
  for (std::size_t i = 0; i < a.size(); ++i) a.set(i, double(i) + 1);
  return a;
}

using xgrad::testing::message_is;
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_transpose_tests)

BOOST_AUTO_TEST_CASE(transpose_known_values) {
  Tensor x = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, kFloat64);
  Tensor y = transpose(x);
  BOOST_TEST(y.shape() == Shape({3, 2}));
  const std::vector<double> expected{1, 4, 2, 5, 3, 6};
  for (std::size_t i = 0; i < expected.size(); ++i) BOOST_TEST(y.value().at(i) == expected[i]);
  BOOST_TEST(y.op() == "transpose");
}

BOOST_AUTO_TEST_CASE(permute_matches_index_loops) {
  // y[i, j, k] = x[j, k, i] for axes (2, 0, 1) of x (2, 3, 4): y is (4, 2, 3).
  Tensor x(iota({2, 3, 4}));
  Tensor y = permute(x, {2, 0, 1});
  BOOST_TEST(y.shape() == Shape({4, 2, 3}));
  for (std::size_t i = 0; i < 4; ++i) {
    for (std::size_t j = 0; j < 2; ++j) {
      for (std::size_t k = 0; k < 3; ++k) {
        BOOST_TEST(y.value().at((i * 2 + j) * 3 + k) == x.value().at((j * 3 + k) * 4 + i));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(permute_4d_nchw_to_nhwc) {
  Tensor x(iota({2, 3, 4, 5}));
  Tensor y = permute(x, {0, 2, 3, 1});
  BOOST_TEST(y.shape() == Shape({2, 4, 5, 3}));
  for (std::size_t n = 0; n < 2; ++n)
    for (std::size_t h = 0; h < 4; ++h)
      for (std::size_t w = 0; w < 5; ++w)
        for (std::size_t c = 0; c < 3; ++c)
          BOOST_TEST(y.value().at(((n * 4 + h) * 5 + w) * 3 + c) ==
                     x.value().at(((n * 3 + c) * 4 + h) * 5 + w));
}

BOOST_AUTO_TEST_CASE(identity_and_rank_one_permutations_copy) {
  Tensor x(iota({3, 2}));
  BOOST_TEST(max_abs_diff(permute(x, {0, 1}).value(), x.value()) == 0.0);
  Tensor v(iota({5}));
  BOOST_TEST(max_abs_diff(permute(v, {0}).value(), v.value()) == 0.0);
}

BOOST_AUTO_TEST_CASE(backward_is_the_inverse_permutation) {
  Tensor x = Tensor(iota({2, 3, 4}), true);
  Tensor y = permute(x, {1, 2, 0});  // (3, 4, 2)
  Array dy = iota(y.shape());
  y.backward(dy);
  // dx[a, b, c] = dy[b, c, a]
  for (std::size_t a = 0; a < 2; ++a)
    for (std::size_t b = 0; b < 3; ++b)
      for (std::size_t c = 0; c < 4; ++c)
        BOOST_TEST(x.grad().at((a * 3 + b) * 4 + c) == dy.at((b * 4 + c) * 2 + a));
}

BOOST_AUTO_TEST_CASE(gradcheck_transpose_and_permute) {
  Generator gen(3);
  Tensor a(gen.normal({3, 5}, 0, 1, kFloat64));
  Tensor b(gen.normal({2, 3, 2, 2}, 0, 1, kFloat64));
  auto rt =
      gradcheck("transpose", [](const std::vector<Tensor>& x) { return transpose(x[0]); }, {a});
  BOOST_TEST(rt.pass(), rt.message());
  auto rp = gradcheck("permute",
                      [](const std::vector<Tensor>& x) {
                        return permute(x[0], {3, 1, 0, 2});
                      },
                      {b});
  BOOST_TEST(rp.pass(), rp.message());
}

BOOST_AUTO_TEST_CASE(float32_is_kept) {
  Tensor y = transpose(Tensor(iota({2, 3}, kFloat32)));
  BOOST_CHECK(y.dtype() == kFloat32);
  BOOST_TEST(y.value().at(1) == 4.0);
}

BOOST_AUTO_TEST_CASE(bad_shapes_are_named) {
  Tensor x(iota({2, 3, 4}));
  BOOST_CHECK_EXCEPTION(
      transpose(x), ShapeError,
      message_is("transpose: input must be 2-D (permute reorders other ranks): input (2, 3, 4)"));
  Tensor m(iota({2, 3}));
  BOOST_CHECK_EXCEPTION(permute(m, {0, 0}), ShapeError,
                        message_is("permute: axes must be a permutation of the input's "
                                   "dimensions: input (2, 3), axes (0, 0)"));
  BOOST_CHECK_THROW(permute(m, {0, 1, 2}), ShapeError);
  BOOST_CHECK_THROW(permute(m, {0, 2}), ShapeError);
}

BOOST_AUTO_TEST_CASE(large_copy_is_identical_for_one_and_two_threads) {
  // 700 x 300 = 210,000 elements: above kElementwiseGrain, so it is split.
  Array x = iota({700, 300}, kFloat32);
  Array one, two;
  {
    ThreadLimit limit(1);
    one = transpose(Tensor(x)).value();
  }
  {
    ThreadLimit limit(2);
    two = transpose(Tensor(x)).value();
  }
  BOOST_TEST(max_abs_diff(one, two) == 0.0);
  for (std::size_t i = 0; i < 700; i += 37)
    for (std::size_t j = 0; j < 300; j += 11) BOOST_TEST(two.at(j * 700 + i) == x.at(i * 300 + j));
}

BOOST_AUTO_TEST_CASE(transpose_two_axes_as_pytorch) {
  Tensor x(iota({2, 3, 4}));
  Tensor y = transpose(x, -2, -1);
  BOOST_TEST(y.shape() == Shape({2, 4, 3}));
  BOOST_TEST(max_abs_diff(y.value(), permute(x, {0, 2, 1}).value()) == 0.0);
  BOOST_TEST(transpose(x, 0, 2).shape() == Shape({4, 3, 2}));
  BOOST_TEST(max_abs_diff(transpose(x, 1, 1).value(), x.value()) == 0.0);
  BOOST_CHECK_EXCEPTION(transpose(x, 0, 3), ShapeError,
                        message_is("transpose: axis 3 is out of range: input (2, 3, 4)"));
}

BOOST_AUTO_TEST_SUITE_END()
