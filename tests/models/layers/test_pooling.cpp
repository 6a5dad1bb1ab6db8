// Tests for models/layers/pooling.h and models/layers/flatten.h: the layers are their ops, have no
// parameters, and name their configuration; Flatten keeps (C, H, W) order per sample.
#include <boost/test/unit_test.hpp>

#include "framework/factory.h"
#include "models/layers/flatten.h"
#include "models/layers/pooling.h"
#include "ops/avg_pool2d.h"
#include "ops/max_pool2d.h"

using namespace xgrad;

BOOST_AUTO_TEST_SUITE(models_layers_pooling_tests)

BOOST_AUTO_TEST_CASE(layers_are_their_ops) {
  Generator gen(1);
  Tensor x = randn({2, 3, 6, 7}, gen, kFloat64);
  MaxPool2d maxp(Pool2dOptions(2));
  AvgPool2d avgp(Pool2dOptions(3, 2, 1));
  BOOST_TEST(max_abs_diff(maxp(x).value(), max_pool2d(x, Pool2dOptions(2)).value()) == 0.0);
  BOOST_TEST(max_abs_diff(avgp(x).value(), avg_pool2d(x, Pool2dOptions(3, 2, 1)).value()) == 0.0);
  BOOST_TEST(maxp(x).shape() == Shape({2, 3, 3, 3}));
  BOOST_TEST(maxp.parameter_count() == 0u);
  BOOST_TEST(avgp.parameter_count() == 0u);
}

BOOST_AUTO_TEST_CASE(names) {
  BOOST_TEST(MaxPool2d(Pool2dOptions(2)).name() == "MaxPool2d(kernel 2x2, stride 2x2)");
  BOOST_TEST(AvgPool2d(Pool2dOptions(3, 2, 1)).name() ==
             "AvgPool2d(kernel 3x3, stride 2x2, padding 1x1)");
  BOOST_TEST(MaxPool2d(Pool2dOptions::axes({2, 3}, {1, 0})).name() ==
             "MaxPool2d(kernel 2x3, stride 1x3)");
  BOOST_TEST(Flatten().name() == "Flatten");
}

BOOST_AUTO_TEST_CASE(flatten_keeps_the_batch_and_chw_order) {
  Tensor x = tensor({{{{1.0, 2.0}, {3.0, 4.0}}, {{5.0, 6.0}, {7.0, 8.0}}},
                     {{{9.0, 10.0}, {11.0, 12.0}}, {{13.0, 14.0}, {15.0, 16.0}}}},
                    kFloat64)
                 .requires_grad_();
  Flatten f;
  Tensor y = f(x);
  BOOST_TEST(y.shape() == Shape({2, 8}));
  for (std::size_t i = 0; i < 16; ++i) BOOST_TEST(y.value().at(i) == double(i + 1));
  y.backward(Array::full({2, 8}, 1.0, kFloat64));
  BOOST_TEST(x.grad().shape() == x.shape());
}

BOOST_AUTO_TEST_SUITE_END()
