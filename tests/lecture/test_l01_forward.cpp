// L1: the vectorised forward pass. a(1) = x, z(l+1) = Θ(l) a(l) with a0(l) = 1
// prepended, a(l+1) = g(z(l+1)); the slide's per-unit sums
// a_i(2) = g(Σ_j Θ_ij(1) x_j) give the same numbers. Checked: per-unit loops
// (by hand), the vectorised form (by hand and LectureNetwork) and ordinary
// Linear layers (weight + bias = Θ split at column 0) agree to 1e-12.
#include <boost/test/unit_test.hpp>

#include "framework/factory.h"
#include "models/lecture/reference_bridge.h"
#include "ops/linear.h"
#include "ops/sigmoid.h"

using namespace xgrad;
namespace ref = lecture_ref;

BOOST_AUTO_TEST_SUITE(lecture_l01_forward_tests)

BOOST_AUTO_TEST_CASE(per_unit_sums_equal_the_vectorised_form_and_linear_layers) {
  // The slide's example (3 inputs, 3 hidden units, 1 output) and the
  // lecture's 4-layer network.
  for (std::vector<std::size_t> sizes : {std::vector<std::size_t>{3, 3, 1}, {3, 5, 4, 2}}) {
    Generator gen(11);
    LectureNetwork net(sizes, gen, kFloat64, 1.0);
    const std::size_t n = 6, L = sizes.size();
    Tensor X(gen.normal({n, sizes[0]}, 0.0, 1.0, kFloat64));
    const ref::Thetas theta = ref::thetas_of(net);
    const std::vector<ref::Vec> xs = ref::rows_of(X.value());

    std::vector<ref::Forward> per_unit, vectorised;
    for (const ref::Vec& x : xs) {
      per_unit.push_back(ref::forward_per_unit(theta, x));
      vectorised.push_back(ref::forward_vectorised(theta, x));
    }
    LectureActivations act = net.forward_layers(X);
    BOOST_TEST(ref::max_diff_rows(ref::layer_of(n, 1, [&](std::size_t i) { return per_unit[i].a; }),
                                  act.a[1].value()) == 0.0);  // a(1) = x

    // Ordinary layers: Linear(weight = Θ[:, 1:], bias = Θ[:, 0]) then sigmoid.
    std::vector<std::shared_ptr<Linear>> layers = net.to_linear();
    Tensor h = X;
    for (std::size_t l = 2; l <= L; ++l) {
      Tensor z = linear(h, layers[l - 2]->weight(), layers[l - 2]->bias());
      h = sigmoid(z);
      auto z_unit = ref::layer_of(n, l, [&](std::size_t i) { return per_unit[i].z; });
      auto a_unit = ref::layer_of(n, l, [&](std::size_t i) { return per_unit[i].a; });
      auto z_vec = ref::layer_of(n, l, [&](std::size_t i) { return vectorised[i].z; });
      BOOST_TEST_INFO("layer " << l);
      BOOST_TEST(ref::max_diff_vecs(z_unit, z_vec) <= 1e-12);
      BOOST_TEST(ref::max_diff_rows(z_unit, act.z[l].value()) <= 1e-12);
      BOOST_TEST(ref::max_diff_rows(a_unit, act.a[l].value()) <= 1e-12);
      BOOST_TEST(ref::max_diff_rows(z_unit, z.value()) <= 1e-12);
      BOOST_TEST(ref::max_diff_rows(a_unit, h.value()) <= 1e-12);
    }
    BOOST_TEST(max_abs_diff(net.forward(X).value(), h.value()) <= 1e-12);
  }
}

BOOST_AUTO_TEST_CASE(the_bias_is_column_0_of_theta) {
  // Θ(1) = [b | W] by hand: z = b + W x for x = (2, −1).
  LectureNetwork net({tensor({{0.5, 1.0, 2.0}, {-1.0, 0.25, 0.0}}, kFloat64).value()});
  Tensor z = net.forward_layers(tensor({{2.0, -1.0}}, kFloat64)).z[2];
  BOOST_TEST(z.value().at(0) == 0.5 + 1.0 * 2 + 2.0 * -1);
  BOOST_TEST(z.value().at(1) == -1.0 + 0.25 * 2 + 0.0 * -1);
  std::vector<std::shared_ptr<Linear>> layers = net.to_linear();
  BOOST_TEST(layers[0]->bias().value().at(0) == 0.5);
  BOOST_TEST(layers[0]->bias().value().at(1) == -1.0);
  BOOST_TEST(layers[0]->weight().value().at(1) == 2.0);
}

BOOST_AUTO_TEST_CASE(conversion_round_trip_is_exact) {
  Generator gen(2);
  LectureNetwork net({4, 8, 8, 3}, gen, kFloat64, 0.5);
  auto back = LectureNetwork::from_linear(net.to_linear());
  BOOST_TEST(back->sizes() == net.sizes());
  for (std::size_t l = 1; l < net.layers(); ++l) {
    BOOST_TEST(max_abs_diff(back->theta(l).value(), net.theta(l).value()) == 0.0);
  }
}

BOOST_AUTO_TEST_SUITE_END()
