// L6: the output delta δ(L) = a(L) − y, for sigmoid outputs with the
// cross-entropy cost. Checked: autodiff's ∂J/∂z(L) · n equals a(L) − y (from
// the hand forward pass); for the squared-error cost it equals
// (a − y)·g'(z) instead, and the shortcut visibly does not hold there.
#include <boost/test/unit_test.hpp>

#include "framework/factory.h"
#include "models/lecture/reference_bridge.h"
#include "ops/arithmetic.h"
#include "ops/binary_cross_entropy.h"
#include "ops/mse.h"

using namespace xgrad;
namespace ref = lecture_ref;

namespace {

struct Setup {
  Generator gen{61};
  std::size_t n = 5;
  LectureNetwork net{{3, 4, 2}, gen, kFloat64, 1.0};
  Tensor X{gen.normal({5, 3}, 0.0, 1.0, kFloat64)};
  Tensor Y{gen.bernoulli({5, 2}, 0.5, kFloat64)};
  // a(L) − y and (a(L) − y)·a(1 − a), per example, from the hand forward pass.
  std::vector<ref::Vec> shortcut, squared;
  Setup() {
    const ref::Thetas theta = ref::thetas_of(net);
    const std::vector<ref::Vec> xs = ref::rows_of(X.value()), ys = ref::rows_of(Y.value());
    for (std::size_t i = 0; i < n; ++i) {
      const ref::Vec a = ref::forward_per_unit(theta, xs[i]).a[3];
      ref::Vec d(2), s(2);
      for (std::size_t k = 0; k < 2; ++k) {
        d[k] = a[k] - ys[i][k];
        s[k] = d[k] * a[k] * (1 - a[k]);
      }
      shortcut.push_back(d);
      squared.push_back(s);
    }
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(lecture_l06_output_delta_tests)

BOOST_AUTO_TEST_CASE(cross_entropy_gives_a_minus_y) {
  Setup s;
  LectureActivations act = s.net.forward_layers(s.X);
  act.z[3].retain_grad();
  Tensor J = binary_cross_entropy(act.output(), s.Y, Reduction::kSum) / double(s.n);
  J.backward();
  BOOST_TEST(ref::max_diff_rows(s.shortcut, act.z[3].grad(), double(s.n)) <= 1e-12);
}

BOOST_AUTO_TEST_CASE(the_fused_logits_form_gives_the_same) {
  Setup s;
  LectureActivations act = s.net.forward_layers(s.X);
  act.z[3].retain_grad();
  Tensor J = binary_cross_entropy_with_logits(act.z[3], s.Y, Reduction::kSum) / double(s.n);
  J.backward();
  BOOST_TEST(ref::max_diff_rows(s.shortcut, act.z[3].grad(), double(s.n)) <= 1e-12);
}

BOOST_AUTO_TEST_CASE(squared_error_does_not_give_the_shortcut) {
  Setup s;
  LectureActivations act = s.net.forward_layers(s.X);
  act.z[3].retain_grad();
  // J = (1/2n) Σ_i Σ_k (a − y)²
  Tensor J = mse(act.output(), s.Y, Reduction::kSum, MseScale::kHalf) / double(s.n);
  J.backward();
  BOOST_TEST(ref::max_diff_rows(s.squared, act.z[3].grad(), double(s.n)) <= 1e-12);
  BOOST_TEST(ref::max_diff_rows(s.shortcut, act.z[3].grad(), double(s.n)) > 0.05);
}

BOOST_AUTO_TEST_SUITE_END()
