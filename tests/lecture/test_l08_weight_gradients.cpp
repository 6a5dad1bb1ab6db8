// L8: ∂J/∂Θ_ij(l) = a_j(l) δ_i(l+1), vectorised Δ(l) += δ(l+1) a(l)ᵀ.
// Checked: for one example, every entry of autodiff's Θ gradient is a_j δ_i
// (a_0 = 1); over a batch, the per-instance outer products summed by hand
// equal n times autodiff's gradients, of Θ and of the equivalent Linear layers.
#include <boost/test/unit_test.hpp>

#include "framework/factory.h"
#include "models/lecture/reference_bridge.h"
#include "ops/arithmetic.h"
#include "ops/binary_cross_entropy.h"
#include "ops/linear.h"
#include "ops/sigmoid.h"

using namespace xgrad;
namespace ref = lecture_ref;

BOOST_AUTO_TEST_SUITE(lecture_l08_weight_gradients_tests)

BOOST_AUTO_TEST_CASE(one_example_entry_by_entry) {
  Generator gen(81);
  LectureNetwork net({3, 5, 4, 2}, gen, kFloat64, 1.0);
  Tensor X(gen.normal({1, 3}, 0.0, 1.0, kFloat64)), Y(gen.bernoulli({1, 2}, 0.5, kFloat64));
  binary_cross_entropy(net.forward(X), Y, Reduction::kSum).backward();

  const ref::Thetas theta = ref::thetas_of(net);
  const ref::Forward f = ref::forward_per_unit(theta, ref::rows_of(X.value())[0]);
  const std::vector<ref::Vec> d = ref::deltas(theta, f, ref::rows_of(Y.value())[0]);
  for (std::size_t l = 1; l <= 3; ++l) {
    const Array& grad = net.theta(l).grad();
    const std::size_t cols = theta[l].cols;
    for (std::size_t i = 0; i < theta[l].rows; ++i) {
      for (std::size_t j = 0; j < cols; ++j) {
        const double a_j = j == 0 ? 1.0 : f.a[l][j - 1];
        BOOST_TEST_INFO("Θ(" << l << ")_" << i + 1 << j);
        BOOST_TEST(std::abs(grad.at(i * cols + j) - a_j * d[l + 1][i]) <= 1e-12);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(summed_outer_products_equal_the_batch_gradient) {
  Generator gen(82);
  LectureNetwork net({3, 5, 4, 2}, gen, kFloat64, 1.0);
  const std::size_t n = 7;
  Tensor X(gen.normal({n, 3}, 0.0, 1.0, kFloat64)), Y(gen.bernoulli({n, 2}, 0.5, kFloat64));
  binary_cross_entropy(net.forward(X), Y, Reduction::kSum).backward();  // Σ_i J(x_i): no 1/n

  // Δ(l) = Σ_i δ(l+1) [1; a(l)]ᵀ with the vectorised outer product per instance.
  const ref::Thetas theta = ref::thetas_of(net);
  const std::vector<ref::Vec> xs = ref::rows_of(X.value()), ys = ref::rows_of(Y.value());
  ref::Thetas Delta(4);
  for (std::size_t l = 1; l <= 3; ++l) Delta[l] = ref::Mat(theta[l].rows, theta[l].cols);
  for (std::size_t e = 0; e < n; ++e) {
    const ref::Forward f = ref::forward_vectorised(theta, xs[e]);
    const std::vector<ref::Vec> d = ref::deltas(theta, f, ys[e]);
    for (std::size_t l = 1; l <= 3; ++l) {
      const ref::Vec a = ref::with_bias(f.a[l]);
      for (std::size_t i = 0; i < Delta[l].rows; ++i) {
        for (std::size_t j = 0; j < Delta[l].cols; ++j) Delta[l](i, j) += d[l + 1][i] * a[j];
      }
    }
  }
  for (std::size_t l = 1; l <= 3; ++l) {
    BOOST_TEST_INFO("Δ(" << l << ")");
    BOOST_TEST(ref::max_diff(Delta[l], net.theta(l).grad()) <= 1e-12);
  }

  // The same through Linear layers: weight.grad = Δ[:, 1:], bias.grad = Δ[:, 0].
  std::vector<std::shared_ptr<Linear>> layers = net.to_linear();
  Tensor h = X;
  for (const auto& layer : layers) h = sigmoid(linear(h, layer->weight(), layer->bias()));
  binary_cross_entropy(h, Y, Reduction::kSum).backward();
  for (std::size_t l = 1; l <= 3; ++l) {
    Array theta_grad =
        theta_from_weight_bias(layers[l - 1]->weight().grad(), layers[l - 1]->bias().grad());
    BOOST_TEST(ref::max_diff(Delta[l], theta_grad) <= 1e-12);
  }
}

BOOST_AUTO_TEST_SUITE_END()
