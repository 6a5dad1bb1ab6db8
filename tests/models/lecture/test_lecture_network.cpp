// LectureNetwork: construction, shapes and names, conversion helpers, dtype
// conversion and the error messages. Its numbers are checked against the
// slides in tests/lecture (L1, L4, L7-L11).
#include <boost/test/unit_test.hpp>
#include <string>

#include "framework/factory.h"
#include "models/lecture/lecture_network.h"
#include "tests/test_messages.h"

using namespace xgrad;

using xgrad::testing::message_is;

BOOST_AUTO_TEST_SUITE(models_lecture_lecture_network_tests)

BOOST_AUTO_TEST_CASE(shapes_names_and_parameters) {
  Generator gen(1);
  LectureNetwork net({3, 5, 4, 2}, gen, kFloat64);
  BOOST_TEST(net.name() == "LectureNetwork(3-5-4-2)");
  BOOST_TEST(net.layers() == 4u);
  std::vector<Parameter> params = net.parameters();
  BOOST_REQUIRE(params.size() == 3u);
  BOOST_TEST(params[0].name == "theta1");
  BOOST_TEST(params[2].name == "theta3");
  BOOST_TEST(format_shape(net.theta(1).shape()) == "(5, 4)");  // s2 × (s1 + 1)
  BOOST_TEST(format_shape(net.theta(2).shape()) == "(4, 6)");
  BOOST_TEST(format_shape(net.theta(3).shape()) == "(2, 5)");
  BOOST_TEST(net.parameter_count() == 20u + 24u + 10u);
  LectureActivations act = net.forward_layers(zeros({7, 3}, kFloat64));
  BOOST_TEST(!act.z[1].defined());
  for (std::size_t l = 2; l <= 4; ++l) {
    BOOST_TEST(act.z[l].shape()[0] == 7u);
    BOOST_TEST(act.a[l].shape()[1] == net.sizes()[l - 1]);
  }
}

BOOST_AUTO_TEST_CASE(initialisation_is_small_gaussian_and_seeded) {
  Generator g1(5), g2(5);
  LectureNetwork a({4, 30, 2}, g1, kFloat64, 0.1), b({4, 30, 2}, g2, kFloat64, 0.1);
  BOOST_TEST(max_abs_diff(a.theta(1).value(), b.theta(1).value()) == 0.0);
  double sq = 0;
  for (std::size_t k = 0; k < 150; ++k) sq += a.theta(1).value().at(k) * a.theta(1).value().at(k);
  BOOST_TEST(std::sqrt(sq / 150) > 0.07);
  BOOST_TEST(std::sqrt(sq / 150) < 0.13);
}

BOOST_AUTO_TEST_CASE(converts_to_float32) {
  Generator gen(2);
  LectureNetwork net({2, 3, 1}, gen, kFloat64);
  net.to(kFloat32);
  BOOST_TEST((net.forward(ones({4, 2})).dtype() == kFloat32));
}

BOOST_AUTO_TEST_CASE(weight_bias_conversions) {
  Array theta = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, kFloat64).value();
  auto [w, b] = weight_bias_from_theta(theta);
  BOOST_TEST(format_shape(w.shape()) == "(2, 2)");
  BOOST_TEST(b.at(1) == 4.0);
  BOOST_TEST(w.at(3) == 6.0);
  BOOST_TEST(max_abs_diff(theta_from_weight_bias(w, b), theta) == 0.0);
  Array no_bias = theta_from_weight_bias(w, Array());
  BOOST_TEST(no_bias.at(0) == 0.0);
  BOOST_TEST(no_bias.at(3) == 0.0);
  Generator gen(3);
  auto layer = std::make_shared<Linear>(2, 3, gen, false, kFloat64);
  auto net = LectureNetwork::from_linear({layer});
  BOOST_TEST(net->theta(1).value().at(0) == 0.0);
  BOOST_TEST(net->theta(1).value().at(1) == layer->weight().value().at(0));
}

BOOST_AUTO_TEST_CASE(errors) {
  Generator gen(4);
  LectureNetwork net({3, 5, 2}, gen, kFloat64);
  BOOST_CHECK_EXCEPTION(
      net.forward(zeros({4, 2}, kFloat64)), ShapeError,
      message_is("LectureNetwork(3-5-2): input must have 3 columns: input (4, 2)"));
  BOOST_CHECK_THROW(net.forward(zeros({4, 3}, kFloat32)), DTypeError);
  BOOST_CHECK_EXCEPTION(
      LectureNetwork({Array::zeros({5, 4}, kFloat64), Array::zeros({2, 5}, kFloat64)}), ShapeError,
      message_is("LectureNetwork: theta2 must have 1 + rows of theta1 columns: theta1 (5, 4), "
                 "theta2 (2, 5)"));
  BOOST_CHECK_EXCEPTION(LectureNetwork({3}, gen), ValueError,
                        message_is("LectureNetwork: needs at least 2 layer sizes (input and "
                                   "output), got 1"));
  BOOST_CHECK_EXCEPTION(LectureNetwork({3, 0, 1}, gen), ValueError,
                        message_is("LectureNetwork: layer sizes must be positive: 3-0-1"));
  BOOST_CHECK_EXCEPTION(net.theta(3), ValueError,
                        message_is("LectureNetwork(3-5-2): no Θ(3); layers are 1..2"));
  BOOST_CHECK_EXCEPTION(
      theta_from_weight_bias(Array::zeros({2, 3}, kFloat64), Array::zeros({3}, kFloat64)),
      ShapeError,
      message_is("theta_from_weight_bias: bias must be (out) with out = weight rows: bias (3), "
                 "weight (2, 3)"));
}

BOOST_AUTO_TEST_SUITE_END()
