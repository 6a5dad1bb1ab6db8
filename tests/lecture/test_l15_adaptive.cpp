// L15: "many different optimisers ... often adapting learning rates".
// AdaGrad (Duchi et al. 2011), RMSProp (Hinton, lecture 6e) and Adam
// (Kingma & Ba 2015, Algorithm 1) each match their published update
// equations, written out in plain double loops here, over several steps of
// a float64 problem with changing gradients, to 1e-12; and the first step of
// each has the closed form the equations give (e.g. Adam's first step is
// α·g/(|g| + ε): a step of about α in every coordinate).
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <functional>
#include <memory>
#include <vector>

#include "framework/factory.h"
#include "models/optim/adagrad.h"
#include "models/optim/adam.h"
#include "models/optim/rmsprop.h"
#include "ops/arithmetic.h"

using namespace xgrad;

namespace {
const std::vector<double> kStart = {0.5, -1.5, 2.0, 0.01};
const std::vector<double> kC = {1.0, 3.0, 0.2, 50.0};
const std::vector<double> kB = {0.3, -0.7, 1.1, 0.0};

// J = Σ ½ c θ² + b θ, so ∂J/∂θ = c θ + b (changes as θ moves).
double grad_of(std::size_t i, double theta) { return kC[i] * theta + kB[i]; }

void backward_at(const Tensor& theta) {
  Tensor c = tensor({1.0, 3.0, 0.2, 50.0}, kFloat64);  // kC
  Tensor b = tensor({0.3, -0.7, 1.1, 0.0}, kFloat64);  // kB
  Tensor j = theta * theta * c * 0.5 + theta * b;
  j.backward(Array::full(j.shape(), 1.0, kFloat64));
}

Tensor start_theta() {
  return tensor({0.5, -1.5, 2.0, 0.01}, kFloat64).requires_grad_();  // kStart
}

// Runs `steps` steps of `opt` on θ and of `hand` (one element update on
// plain doubles, with its own state) and compares after every step.
void compare(Optimizer& opt, const Tensor& theta, int steps,
             const std::function<void(std::size_t i, double& th, double g, int t)>& hand) {
  std::vector<double> th = kStart;
  for (int t = 1; t <= steps; ++t) {
    opt.zero_grad();
    backward_at(theta);
    opt.step();
    for (std::size_t i = 0; i < th.size(); ++i) {
      hand(i, th[i], grad_of(i, th[i]), t);
      BOOST_TEST(std::abs(theta.value().at(i) - th[i]) < 1e-12,
                 opt.name() << " step " << t << " element " << i << ": " << theta.value().at(i)
                            << " vs " << th[i]);
    }
  }
}

std::vector<Parameter> params_of(const Tensor& theta) {
  return {{"theta", theta, ParamRole::kWeight}};
}
}  // namespace

BOOST_AUTO_TEST_SUITE(lecture_l15_adaptive_tests)

BOOST_AUTO_TEST_CASE(L15_adagrad_matches_duchi_2011) {
  const double alpha = 0.1, eps = 1e-10;
  Tensor theta = start_theta();
  Adagrad opt(params_of(theta), {alpha, eps});
  std::vector<double> G(kStart.size(), 0.0);
  compare(opt, theta, 5, [&](std::size_t i, double& th, double g, int) {
    G[i] += g * g;                              // G_t = Σ_τ g_τ²
    th -= alpha * g / (std::sqrt(G[i]) + eps);  // θ ← θ − α g / (√G + ε)
  });
}

BOOST_AUTO_TEST_CASE(L15_rmsprop_matches_hinton) {
  const double alpha = 0.01, rho = 0.9, eps = 1e-8;
  Tensor theta = start_theta();
  RmsProp opt(params_of(theta), {alpha, rho, eps});
  std::vector<double> E(kStart.size(), 0.0);
  compare(opt, theta, 5, [&](std::size_t i, double& th, double g, int) {
    E[i] = rho * E[i] + (1 - rho) * g * g;      // E[g²] ← ρ E[g²] + (1 − ρ) g²
    th -= alpha * g / (std::sqrt(E[i]) + eps);  // θ ← θ − α g / (√E[g²] + ε)
  });
}

BOOST_AUTO_TEST_CASE(L15_adam_matches_kingma_ba_algorithm_1) {
  const double alpha = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  Tensor theta = start_theta();
  Adam opt(params_of(theta), {alpha, b1, b2, eps});
  std::vector<double> m(kStart.size(), 0.0), v(kStart.size(), 0.0);
  compare(opt, theta, 6, [&](std::size_t i, double& th, double g, int t) {
    m[i] = b1 * m[i] + (1 - b1) * g;      // biased first moment
    v[i] = b2 * v[i] + (1 - b2) * g * g;  // biased second raw moment
    const double m_hat = m[i] / (1 - std::pow(b1, t));
    const double v_hat = v[i] / (1 - std::pow(b2, t));
    th -= alpha * m_hat / (std::sqrt(v_hat) + eps);
  });
  BOOST_TEST(opt.step_count() == 6u);
}

// After one step from zero state, each method's step has a closed form.
BOOST_AUTO_TEST_CASE(L15_first_steps_in_closed_form) {
  const double alpha = 0.1;
  struct Case {
    std::function<std::unique_ptr<Optimizer>(std::vector<Parameter>)> make;
    std::function<double(double)> first_step;  // Δθ as a function of g
  };
  const double rho = 0.99, eps = 1e-8;
  std::vector<Case> cases = {
      {[&](auto p) {
         return std::make_unique<Adagrad>(p, AdagradOptions{alpha, eps});
       },
       [&](double g) { return -alpha * g / (std::abs(g) + eps); }},
      {[&](auto p) {
         return std::make_unique<RmsProp>(p, RmsPropOptions{alpha, rho, eps});
       },
       [&](double g) { return -alpha * g / (std::sqrt(1 - rho) * std::abs(g) + eps); }},
      {[&](auto p) {
         return std::make_unique<Adam>(p, AdamOptions{alpha, 0.9, 0.999, eps});
       },
       [&](double g) { return -alpha * g / (std::abs(g) + eps); }},
  };
  for (const Case& c : cases) {
    Tensor theta = start_theta();
    std::unique_ptr<Optimizer> opt = c.make(params_of(theta));
    backward_at(theta);
    opt->step();
    for (std::size_t i = 0; i < kStart.size(); ++i) {
      const double expected = kStart[i] + c.first_step(grad_of(i, kStart[i]));
      BOOST_TEST(std::abs(theta.value().at(i) - expected) < 1e-12, opt->name() << " element " << i);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
