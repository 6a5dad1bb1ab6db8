// L11: symmetry. Hidden units with the same bias and the same incoming and
// outgoing weights always get the same gradient, so they can never become
// different features. Checked: from a constant initialisation the hidden
// units of every layer stay identical after many gradient steps (autodiff and
// the hand algorithm); from small Gaussian values they differ.
#include <boost/test/unit_test.hpp>

#include "framework/factory.h"
#include "models/lecture/reference_bridge.h"
#include "ops/arithmetic.h"
#include "ops/binary_cross_entropy.h"

using namespace xgrad;
namespace ref = lecture_ref;

namespace {

const std::vector<std::size_t> kSizes{3, 4, 3, 2};  // two hidden layers

// Largest difference between hidden units of the same layer: between the
// rows of Θ(l) (incoming weights and bias) for l = 1..L−2, and between the
// columns j ≥ 1 of Θ(l) (outgoing weights) for l = 2..L−1.
double unit_spread(const ref::Thetas& theta) {
  double worst = 0;
  for (std::size_t l = 1; l < theta.size(); ++l) {
    const ref::Mat& t = theta[l];
    for (std::size_t i = 0; i < t.rows; ++i) {
      for (std::size_t j = 0; j < t.cols; ++j) {
        if (l + 1 < theta.size()) worst = std::max(worst, std::abs(t(i, j) - t(0, j)));
        if (l > 1 && j >= 1) worst = std::max(worst, std::abs(t(i, j) - t(i, 1)));
      }
    }
  }
  return worst;
}

struct Data {
  Tensor X, Y;
};

Data make_data() {
  Generator gen(111);
  return {Tensor(gen.normal({8, 3}, 0.0, 1.0, kFloat64)),
          Tensor(gen.bernoulli({8, 2}, 0.5, kFloat64))};
}

// 300 full-batch steps with autodiff's gradient.
void train(LectureNetwork& net, const Data& d) {
  for (int e = 0; e < 300; ++e) {
    (binary_cross_entropy(net.forward(d.X), d.Y, Reduction::kSum) / 8.0).backward();
    ref::gd_step(net.parameters(), 0.5);
  }
}

LectureNetwork constant_network() {
  std::vector<Array> thetas;
  for (std::size_t l = 0; l + 1 < kSizes.size(); ++l) {
    thetas.push_back(Array::full({kSizes[l + 1], kSizes[l] + 1}, 0.3, kFloat64));
  }
  return LectureNetwork(thetas);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lecture_l11_symmetry_tests)

BOOST_AUTO_TEST_CASE(constant_init_keeps_hidden_units_identical) {
  Data d = make_data();
  LectureNetwork net = constant_network();
  train(net, d);
  const ref::Thetas theta = ref::thetas_of(net);
  BOOST_TEST(unit_spread(theta) <= 1e-12);
  // Training did change the weights: the units moved together.
  BOOST_TEST(std::abs(theta[1](0, 1) - 0.3) > 1e-2);
}

BOOST_AUTO_TEST_CASE(the_hand_algorithm_gives_exactly_equal_gradients) {
  Data d = make_data();
  const std::vector<ref::Vec> xs = ref::rows_of(d.X.value()), ys = ref::rows_of(d.Y.value());
  ref::Thetas theta = ref::thetas_of(constant_network());
  for (int e = 0; e < 300; ++e) {
    const ref::Backprop b = ref::backprop(theta, xs, ys, 0.0);
    BOOST_REQUIRE(unit_spread(b.D_lambda) == 0.0);  // the same arithmetic for every unit
    ref::gradient_step(theta, b.D_lambda, 0.5);
  }
  BOOST_TEST(unit_spread(theta) == 0.0);
}

BOOST_AUTO_TEST_CASE(small_gaussian_init_breaks_the_symmetry) {
  Data d = make_data();
  Generator gen(112);
  LectureNetwork net(kSizes, gen, kFloat64, 0.1);
  train(net, d);
  BOOST_TEST(unit_spread(ref::thetas_of(net)) > 1e-2);
}

BOOST_AUTO_TEST_SUITE_END()
