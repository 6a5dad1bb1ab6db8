// Gradients of gradients: the functional grad() API, create_graph to any
// order (third derivatives of tanh and sigmoid against their closed forms),
// hvp/jvp/vjp/hessian, the Hessian of the lecture's regularised logistic
// cost against Xᵀ diag(h(1-h)) X / n + (λ/n) I', Newton's method with it,
// and a gradient penalty that trains and passes gradcheck.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <vector>

#include "framework/engine.h"
#include "framework/factory.h"
#include "framework/functional.h"
#include "framework/gradcheck.h"
#include "framework/grad_mode.h"
#include "ops/arithmetic.h"
#include "ops/binary_cross_entropy.h"
#include "ops/elementwise.h"
#include "ops/matmul.h"
#include "ops/mse.h"
#include "ops/reshape.h"
#include "ops/sigmoid.h"
#include "ops/slice.h"
#include "ops/sum.h"
#include "ops/tanh.h"
#include "tests/test_messages.h"

using namespace xgrad;
using xgrad::testing::message_is;

namespace {

Tensor vec(std::vector<double> v) { return tensor(v, {v.size()}, kFloat64); }

double sigmoid_of(double x) { return 1 / (1 + std::exp(-x)); }

// Solves a·x = b (n × n, row-major) by Gaussian elimination with partial pivoting.
std::vector<double> solve(std::vector<double> a, std::vector<double> b) {
  const std::size_t n = b.size();
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t p = c;
    for (std::size_t r = c + 1; r < n; ++r) {
      if (std::abs(a[r * n + c]) > std::abs(a[p * n + c])) p = r;
    }
    for (std::size_t k = 0; k < n; ++k) std::swap(a[c * n + k], a[p * n + k]);
    std::swap(b[c], b[p]);
    for (std::size_t r = c + 1; r < n; ++r) {
      const double f = a[r * n + c] / a[c * n + c];
      for (std::size_t k = c; k < n; ++k) a[r * n + k] -= f * a[c * n + k];
      b[r] -= f * b[c];
    }
  }
  std::vector<double> x(n);
  for (std::size_t r = n; r-- > 0;) {
    double s = b[r];
    for (std::size_t k = r + 1; k < n; ++k) s -= a[r * n + k] * x[k];
    x[r] = s / a[r * n + r];
  }
  return x;
}

// The lecture's data set for logistic regression: n examples, a bias
// column of ones and two features that overlap between the classes (so the
// minimum is finite: the set is not separable).
struct LogisticData {
  Tensor x, y;  // (n, 3), (n, 1)
  std::size_t n = 0;
};

LogisticData logistic_data() {
  Generator gen(3);
  const std::size_t n = 40;
  Array x = Array::empty({n, 3}, kFloat64), y = Array::empty({n, 1}, kFloat64);
  Array noise = gen.normal({n, 2}, 0.0, 1.0, kFloat64);
  for (std::size_t i = 0; i < n; ++i) {
    const double label = i % 2;
    x.set(i * 3, 1.0);
    x.set(i * 3 + 1, label + noise.at(i * 2));
    x.set(i * 3 + 2, 0.5 * label - noise.at(i * 2 + 1));
    y.set(i, label);
  }
  return {Tensor(std::move(x)), Tensor(std::move(y)), n};
}

// J(θ) = mean BCE(σ(Xθ), y) + (λ/2n) Σ_{j≥1} θ_j²   (the lecture's L3 cost)
Tensor logistic_cost(const LogisticData& d, const Tensor& theta, double lambda) {
  Tensor z = matmul(d.x, reshape(theta, {3, 1}));
  return binary_cross_entropy_with_logits(z, d.y) +
         sum(square(slice(theta, 0, 1, 3))) * (lambda / (2.0 * double(d.n)));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(framework_higher_order_tests)

BOOST_AUTO_TEST_CASE(grad_returns_gradients_and_leaves_grad_alone) {
  Tensor x = vec({1.0, -2.0, 0.5}).requires_grad_();
  Tensor y = sum(x * x * x);
  std::vector<Tensor> g = grad({y}, {x});
  BOOST_TEST_REQUIRE(g.size() == 1u);
  for (std::size_t i = 0; i < 3; ++i) {
    const double xi = x.value().at(i);
    BOOST_TEST(g[0].value().at(i) == 3 * xi * xi, boost::test_tools::tolerance(1e-15));
  }
  BOOST_TEST(!x.has_grad());
  BOOST_TEST(!g[0].requires_grad());  // no create_graph: a plain value
}

BOOST_AUTO_TEST_CASE(grad_with_respect_to_an_intermediate) {
  Tensor x = vec({1.0, 2.0}).requires_grad_();
  Tensor h = x * 3.0;
  Tensor y = sum(h * h);
  std::vector<Tensor> g = grad({y}, {h, x});
  BOOST_TEST(g[0].value().at(1) == 12.0);  // 2h = 2·6
  BOOST_TEST(g[1].value().at(1) == 36.0);  // 2h·3
}

BOOST_AUTO_TEST_CASE(unused_inputs_and_freed_graphs) {
  Tensor x = vec({1.0}).requires_grad_();
  Tensor z = vec({2.0}).requires_grad_();
  Tensor y = sum(x * x);
  BOOST_CHECK_EXCEPTION(grad({y}, {x, z}, {}, true), GraphError,
                        message_is("grad: input 1 (op 'leaf', shape (1)) is not used by the "
                                   "outputs; pass allow_unused=true to get an undefined gradient "
                                   "for it"));
  std::vector<Tensor> g = grad({y}, {x, z}, {}, true, false, true);
  BOOST_TEST(g[0].defined());
  BOOST_TEST(!g[1].defined());
  grad({y}, {x});  // retain_graph defaults to false: frees the graph
  BOOST_CHECK_THROW(grad({y}, {x}), GraphError);
}

BOOST_AUTO_TEST_CASE(third_derivatives_of_tanh_and_sigmoid_match_closed_forms) {
  const std::vector<double> xs{-1.5, -0.2, 0.0, 0.7, 2.1};
  Tensor x = vec(xs).requires_grad_();
  auto third = [&](Tensor (*f)(const Tensor&)) {
    Tensor g1 = grad({sum(f(x))}, {x}, {}, {}, true)[0];
    Tensor g2 = grad({sum(g1)}, {x}, {}, {}, true)[0];
    return grad({sum(g2)}, {x})[0];
  };
  Tensor t3 = third(tanh), s3 = third(sigmoid);
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double t = std::tanh(xs[i]), s = sigmoid_of(xs[i]);
    // tanh''' = (1 - t²)(6t² - 2); σ''' = σ(1 - σ)(1 - 6σ + 6σ²)
    BOOST_TEST(t3.value().at(i) == (1 - t * t) * (6 * t * t - 2),
               boost::test_tools::tolerance(1e-12));
    BOOST_TEST(s3.value().at(i) == s * (1 - s) * (1 - 6 * s + 6 * s * s),
               boost::test_tools::tolerance(1e-12));
  }
}

BOOST_AUTO_TEST_CASE(hvp_jvp_vjp_hessian_match_closed_forms) {
  const std::vector<double> xs{0.5, -1.0, 2.0};
  const Tensor x = vec(xs), v = vec({1.0, 2.0, -1.0});
  // f = Σ x³: ∇f = 3x², H = diag(6x)
  auto cubes = [](const std::vector<Tensor>& in) { return sum(in[0] * in[0] * in[0]); };
  DerivativeProduct hv = hvp(cubes, {x}, {v});
  Tensor h = hessian(cubes, x);
  // g(x) = x² elementwise: J = diag(2x)
  auto squares = [](const std::vector<Tensor>& in) { return square(in[0]); };
  DerivativeProduct jv = jvp(squares, {x}, {v});
  DerivativeProduct vj = vjp(squares, {x}, v);
  for (std::size_t i = 0; i < 3; ++i) {
    BOOST_TEST(hv.product[0].value().at(i) == 6 * xs[i] * v.value().at(i));
    BOOST_TEST(jv.product[0].value().at(i) == 2 * xs[i] * v.value().at(i));
    BOOST_TEST(vj.product[0].value().at(i) == 2 * xs[i] * v.value().at(i));
    for (std::size_t j = 0; j < 3; ++j) {
      BOOST_TEST(h.value().at({i, j}) == (i == j ? 6 * xs[i] : 0.0));
    }
  }
  BOOST_TEST(hv.value.item() == 0.125 - 1.0 + 8.0);
}

BOOST_AUTO_TEST_CASE(hessian_of_the_regularised_logistic_cost_is_the_closed_form) {
  const LogisticData d = logistic_data();
  const double lambda = 0.7;
  const Tensor theta = vec({0.3, -0.8, 1.1});
  Tensor h = hessian(
      [&](const std::vector<Tensor>& in) { return logistic_cost(d, in[0], lambda); }, theta);
  // Xᵀ diag(h(1-h)) X / n + (λ/n) I', with the bias row and column unregularised.
  for (std::size_t j = 0; j < 3; ++j) {
    for (std::size_t k = 0; k < 3; ++k) {
      double expected = 0;
      for (std::size_t i = 0; i < d.n; ++i) {
        double z = 0;
        for (std::size_t c = 0; c < 3; ++c) z += d.x.value().at({i, c}) * theta.value().at(c);
        const double p = sigmoid_of(z);
        expected += d.x.value().at({i, j}) * p * (1 - p) * d.x.value().at({i, k});
      }
      expected /= double(d.n);
      if (j == k && j > 0) expected += lambda / double(d.n);
      BOOST_TEST(std::abs(h.value().at({j, k}) - expected) < 1e-10);
    }
  }
}

BOOST_AUTO_TEST_CASE(newton_converges_in_a_handful_of_iterations) {
  const LogisticData d = logistic_data();
  auto cost = [&](const std::vector<Tensor>& in) { return logistic_cost(d, in[0], 0.1); };
  auto gradient = [&](const Tensor& t) { return vjp(cost, {t}, scalar(1.0, kFloat64)).product[0]; };
  auto norm = [](const Tensor& g) {
    double s = 0;
    for (std::size_t i = 0; i < g.size(); ++i) s += g.value().at(i) * g.value().at(i);
    return std::sqrt(s);
  };
  // Newton: θ ← θ − H⁻¹ ∇J
  std::vector<double> theta{0.0, 0.0, 0.0};
  int newton = 0;
  for (; newton < 50 && norm(gradient(vec(theta))) > 1e-10; ++newton) {
    Tensor g = gradient(vec(theta));
    Tensor h = hessian(cost, vec(theta));
    std::vector<double> hv(9), gv(3);
    for (std::size_t i = 0; i < 9; ++i) hv[i] = h.value().at(i);
    for (std::size_t i = 0; i < 3; ++i) gv[i] = g.value().at(i);
    std::vector<double> step = solve(hv, gv);
    for (std::size_t i = 0; i < 3; ++i) theta[i] -= step[i];
  }
  // Gradient descent with the largest stable fixed step for this cost.
  std::vector<double> gd{0.0, 0.0, 0.0};
  int descent = 0;
  for (; descent < 100000 && norm(gradient(vec(gd))) > 1e-10; ++descent) {
    Tensor g = gradient(vec(gd));
    for (std::size_t i = 0; i < 3; ++i) gd[i] -= 2.0 * g.value().at(i);
  }
  BOOST_TEST_MESSAGE("Newton " << newton << " iterations, gradient descent " << descent);
  BOOST_TEST(newton <= 8);
  BOOST_TEST(descent > 10 * newton);
  for (std::size_t i = 0; i < 3; ++i) BOOST_TEST(std::abs(theta[i] - gd[i]) < 1e-8);
}

BOOST_AUTO_TEST_CASE(gradient_penalty_trains_and_passes_gradcheck) {
  // f(x) = W2 tanh(W1 x + b1); loss = mse(f(x), y) + μ ||∂Σf/∂x||², the
  // input-gradient penalty (as in WGAN-GP), differentiated through grad().
  Generator gen(5);
  const Tensor x(gen.normal({8, 3}, 0.0, 1.0, kFloat64)), y(gen.normal({8, 1}, 0.0, 1.0, kFloat64));
  auto loss = [&](const std::vector<Tensor>& p) {
    AutoGradMode on(true);  // the penalty needs a graph, also in gradcheck's numeric pass
    Tensor xi(x.value(), true);
    Tensor f = matmul(tanh(matmul(xi, p[0]) + p[1]), p[2]);
    Tensor dx = grad({sum(f)}, {xi}, {}, true, true)[0];
    return mse(f, y) + sum(square(dx)) * 0.1;
  };
  std::vector<Tensor> params{Tensor(gen.normal({3, 4}, 0.0, 0.5, kFloat64)),
                             Tensor(gen.normal({4}, 0.0, 0.5, kFloat64)),
                             Tensor(gen.normal({4, 1}, 0.0, 0.5, kFloat64))};
  GradcheckResult r = gradcheck("gradient_penalty", loss, params);
  BOOST_TEST(r.pass(), r.message());
  double first = 0, last = 0;
  for (int step = 0; step < 200; ++step) {
    for (Tensor& p : params) p.requires_grad_();
    Tensor l = loss(params);
    l.backward();
    if (step == 0) first = l.item();
    last = l.item();
    NoGradGuard no_grad;
    for (Tensor& p : params) {
      Array& v = p.mutable_value();
      for (std::size_t i = 0; i < v.size(); ++i) v.set(i, v.at(i) - 0.05 * p.grad().at(i));
      p.zero_grad();
    }
  }
  BOOST_TEST_MESSAGE("gradient penalty loss " << first << " -> " << last);
  BOOST_TEST(last < 0.5 * first);
}

BOOST_AUTO_TEST_CASE(first_order_backward_keeps_no_gradient_graph) {
  const std::int64_t before = live_node_count();
  {
    Tensor w = vec({0.5, -1.0, 2.0}).requires_grad_();
    Tensor x = vec({1.0, 2.0, 3.0});
    const std::int64_t leaves = live_node_count();
    Tensor loss = sum(sigmoid(w * x));  // 3 recorded ops
    BOOST_TEST(live_node_count() == leaves + 3);
    loss.backward();
    // The graph is freed; the gradient ops recorded nothing; only loss's
    // node itself (held by `loss`) stays beside the leaves.
    BOOST_TEST(live_node_count() == leaves + 1);
    BOOST_TEST(w.has_grad());
  }
  BOOST_TEST(live_node_count() == before);
}

BOOST_AUTO_TEST_SUITE_END()
