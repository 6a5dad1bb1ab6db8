// Tests for models/layers/embedding.h: forward and weight gradient against
// PyTorch 1.13, padding_idx (zero row, no gradient, negative index), the
// N(0, 1) initialisation, names, errors and a checkpoint round trip.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "models/layers/embedding.h"
#include "ops/arithmetic.h"
#include "ops/sum.h"
#include "tests/models/layers/reference_values.h"
#include "tests/test_messages.h"
#include "tests/test_values.h"

using namespace xgrad;
using xgrad::testing::check_values;
using xgrad::testing::message_is;
using xgrad::testing::seqv;

BOOST_AUTO_TEST_SUITE(models_layers_embedding_tests)

BOOST_AUTO_TEST_CASE(matches_pytorch_with_padding_idx) {
  Generator gen(1);
  Embedding e(5, 3, gen, 2, kFloat64);
  xgrad::testing::set_param(e, "weight", 1);
  Tensor idx = tensor({{0, 2}, {4, 0}});
  Tensor y = e(idx);
  BOOST_TEST(y.shape() == (Shape{2, 2, 3}));
  sum(y * Tensor(seqv({2, 2, 3}, 2))).backward();
  // Reference: torch::nn::Embedding(EmbeddingOptions(5, 3).padding_idx(2)) with
  // the same weight, indices and upstream gradient (PyTorch 1.13.0, float64).
  check_values(y.value(),
               {0.420735492404, 0.372852606088, -0.221260221647, 0.292458596446, -0.312535324446,
                -0.459664262832, -0.389176039267, -0.406578555831, 0.17165746441, 0.420735492404,
                0.372852606088, -0.221260221647},
               1e-11);
  check_values(e.weight().grad(),
               {0.907626084567, 0.246271073007, -0.77587163746, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                -0.183239564626, -0.497276294102, -0.0828020877242},
               1e-11);
}

BOOST_AUTO_TEST_CASE(init_is_standard_normal_with_padding_row_zero) {
  Generator gen(2);
  Embedding e(400, 50, gen, -1);  // -1: the last row
  BOOST_TEST(*e.padding_idx() == 399);
  const Array& w = e.weight().value();
  double s = 0, s2 = 0;
  const std::size_t n = 399 * 50;
  for (std::size_t i = 0; i < n; ++i) {
    s += w.at(i);
    s2 += w.at(i) * w.at(i);
  }
  const double mean = s / n, var = s2 / n - mean * mean;
  BOOST_TEST(std::abs(mean) < 0.03);  // 4 standard errors of 1/sqrt(19950)
  BOOST_TEST(std::abs(var - 1) < 0.04);
  for (std::size_t j = 0; j < 50; ++j) BOOST_TEST(w.at(399 * 50 + j) == 0.0);
  BOOST_TEST((e.weight().dtype() == kFloat32));
  BOOST_TEST(e.name() == "Embedding(400, 50, padding_idx=399)");
  BOOST_TEST(e.parameters().size() == 1u);
  BOOST_TEST(e.parameters()[0].name == "weight");
}

BOOST_AUTO_TEST_CASE(weight_gradient_matches_finite_differences) {
  Generator gen(3);
  // Without padding_idx: the padding row's gradient is 0 by definition,
  // not the derivative (the PyTorch test above covers it).
  Embedding e(6, 4, gen, std::nullopt, kFloat64);
  const Tensor idx = tensor({{1, 5, 5}, {0, 3, 1}});
  BOOST_TEST(xgrad::testing::parameter_grad_error(e, [&] { return e(idx); }) < 1e-7);
}

BOOST_AUTO_TEST_CASE(checkpoint_state_round_trip) {
  Generator gen(5);
  Embedding a(7, 3, gen), b(7, 3, gen);
  b.load_state_dict(a.state_dict());
  BOOST_TEST(xgrad::testing::same_bits(a.weight().value(), b.weight().value()));
}

BOOST_AUTO_TEST_CASE(errors_name_the_layer) {
  Generator gen(4);
  BOOST_CHECK_EXCEPTION(Embedding(0, 3, gen), ValueError,
                        message_is("Embedding: num_embeddings and embedding_dim must be positive, "
                                   "got 0 and 3"));
  BOOST_CHECK_EXCEPTION(Embedding(5, 3, gen, 5), ValueError,
                        message_is("Embedding: padding_idx 5 must be in [-5, 5)"));
  Embedding e(5, 3, gen);
  BOOST_CHECK_EXCEPTION(e(Tensor(Array::zeros({2}, kFloat32))), DTypeError,
                        message_is("Embedding(5, 3): indices must be int64, got float32"));
  BOOST_CHECK_THROW(e(tensor({1, 5})), ValueError);
}

BOOST_AUTO_TEST_SUITE_END()
