#include "tools/lecture/walkthrough.h"

#include <algorithm>
#include <cmath>

#include "framework/factory.h"
#include "models/init.h"
#include "models/lecture/lecture_network.h"
#include "models/lecture/reference_bridge.h"
#include "ops/arithmetic.h"
#include "ops/binary_cross_entropy.h"

namespace xgrad::lecture {

namespace ref = lecture_ref;

namespace {

// max |a − b| over all entries; a NaN counts as infinitely far.
double mat_diff(const ref::Mat& a, const ref::Mat& b) {
  double worst = 0;
  for (std::size_t k = 0; k < a.v.size(); ++k) {
    const double d = std::abs(a.v[k] - b.v[k]);
    worst = std::max(worst, std::isnan(d) ? INFINITY : d);
  }
  return worst;
}

// The slide's matrix beside autodiff's Array (times `scale`).
Compared compare(std::string name, std::string how, ref::Mat slide, const Array& autodiff,
                 double scale = 1.0) {
  Compared c{std::move(name), std::move(how), std::move(slide), ref::to_mat(autodiff), 0.0};
  for (double& v : c.autodiff.v) v *= scale;
  c.max_abs_diff = mat_diff(c.slide, c.autodiff);
  return c;
}

// Per-example vectors as the rows of a matrix.
ref::Mat stack(const std::vector<ref::Vec>& rows) {
  ref::Mat m(rows.size(), rows.front().size());
  for (std::size_t i = 0; i < m.rows; ++i) std::copy(rows[i].begin(), rows[i].end(), &m(i, 0));
  return m;
}

// "z(2)", "Theta(1)", ...
std::string name(const char* what, std::size_t l) {
  return std::string(what) + "(" + std::to_string(l) + ")";
}

}  // namespace

Example make_example(const WalkthroughOptions& options) {
  Generator gen(options.seed);
  auto net = std::make_shared<LectureNetwork>(options.sizes, gen, kFloat64, options.init_std);
  if (options.zero_init) {  // drawn all the same, so x and y do not depend on the init
    for (const Parameter& p : net->parameters()) zeros_(p.tensor);
  }
  const std::size_t n = options.examples, K = options.sizes.back();
  Tensor X(gen.normal({n, options.sizes[0]}, 0.0, 1.0, kFloat64));
  Array y = Array::zeros({n, K}, kFloat64);  // one-hot rows of random classes
  Array cls = gen.uniform({n}, 0.0, double(K), kFloat64);
  for (std::size_t i = 0; i < n; ++i) y.set(i * K + std::size_t(cls.at(i)), 1.0);
  return {net, X, Tensor(y)};
}

Walkthrough run_walkthrough(const WalkthroughOptions& options) {
  if (options.examples == 0) throw ValueError("xgrad-lecture: --examples must be at least 1");
  if (!(options.lambda >= 0)) throw ValueError("xgrad-lecture: --lambda must be >= 0");
  for (std::size_t s : options.sizes) {  // every number is printed: keep them few
    if (s > 1000) throw ValueError("xgrad-lecture: --sizes: at most 1000 units a layer");
  }
  Example example = make_example(options);
  LectureNetwork& net = *example.net;
  const Tensor X = example.X, Y = example.Y;
  const Array& y = Y.value();
  const std::size_t n = options.examples, L = net.layers();
  const double nd = double(n), lambda = options.lambda;

  // The slide: the per-instance loop, δ, Δ and D in both conventions.
  const ref::Backprop hand =
      ref::backprop(ref::thetas_of(net), ref::rows_of(X.value()), ref::rows_of(y), lambda);
  auto z_of = [&](std::size_t l) {
    return stack(ref::layer_of(n, l, [&](std::size_t i) { return hand.forward[i].z; }));
  };
  auto a_of = [&](std::size_t l) {
    return stack(ref::layer_of(n, l, [&](std::size_t i) { return hand.forward[i].a; }));
  };
  auto delta_of = [&](std::size_t l) {
    return stack(ref::layer_of(n, l, [&](std::size_t i) { return hand.delta[i]; }));
  };

  // Autodiff of J = CE/n: δ(l) = n ∂J/∂z(l), Δ(l) = n ∂J/∂Θ(l).
  LectureActivations act = net.forward_layers(X);
  for (std::size_t l = 2; l <= L; ++l) act.z[l].retain_grad();
  (binary_cross_entropy(act.output(), Y, Reduction::kSum) / nd).backward();
  std::vector<Array> Delta;
  for (std::size_t l = 1; l < L; ++l) Delta.push_back(net.theta(l).grad());

  Walkthrough w{options, {}, {}, {}, 0.0};
  w.forward.push_back(compare("a(1)", "a(1) = x", a_of(1), act.a[1].value()));
  for (std::size_t l = 2; l <= L; ++l) {
    w.forward.push_back(
        compare(name("z", l),
                name("z", l) + " = " + name("Theta", l - 1) + " [1; " + name("a", l - 1) + "]",
                z_of(l), act.z[l].value()));
    w.forward.push_back(compare(name("a", l), name("a", l) + " = g(" + name("z", l) + ")", a_of(l),
                                act.a[l].value()));
  }
  for (std::size_t l = L; l >= 2; --l) {
    const std::string how = l == L ? name("a", L) + " - y"
                                   : name("Theta", l) + "' " + name("delta", l + 1) + " .* " +
                                         name("a", l) + " .* (1 - " + name("a", l) + ")";
    w.deltas.push_back(compare(name("delta", l), name("delta", l) + " = " + how, delta_of(l),
                               act.z[l].grad(), nd));
  }

  // Autodiff of the two regularised costs gives the two D.
  auto D_of = [&](L2Convention convention) {
    net.zero_grad();
    Tensor J = binary_cross_entropy(net.forward(X), Y, Reduction::kSum) / nd +
               net.penalty(lambda, nd, convention);
    J.backward();
    std::vector<Array> g;
    for (std::size_t l = 1; l < L; ++l) g.push_back(net.theta(l).grad());
    return g;
  };
  const std::vector<Array> D_2n = D_of(L2Convention::kLambdaOver2n);
  const std::vector<Array> D_2 = D_of(L2Convention::kLambdaOver2);
  for (std::size_t l = 1; l < L; ++l) {
    const std::string D = name("Delta", l), T = name("Theta", l);
    w.gradients.push_back(compare(
        D, D + " = sum over examples of " + name("delta", l + 1) + " [1; " + name("a", l) + "]'",
        hand.Delta[l], Delta[l - 1], nd));
    w.gradients.push_back(compare(
        name("D", l) + " lambda/2n",
        name("D", l) + " = " + D + "/n + (lambda/n) " + T + " (j > 0): the (lambda/2n) cost",
        hand.D_lambda_over_n[l], D_2n[l - 1]));
    w.gradients.push_back(compare(
        name("D", l) + " lambda/2",
        name("D", l) + " = " + D + "/n + lambda " + T + " (j > 0): the slide's D, (lambda/2) cost",
        hand.D_lambda[l], D_2[l - 1]));
  }
  for (const auto* list : {&w.forward, &w.deltas, &w.gradients}) {
    for (const Compared& c : *list) w.max_abs_diff = std::max(w.max_abs_diff, c.max_abs_diff);
  }
  return w;
}

}  // namespace xgrad::lecture
