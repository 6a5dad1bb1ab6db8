// A user's own differentiable ops, written outside the library: the forward
// kernel with xgrad::map, the gradient with xgrad's ops (so it can be
// differentiated again), both given to xgrad::record. The ops go in the
// user's own op list, and the library's gradient-check command line checks
// them exactly as it checks op_db, to first or second order:
//   xgrad-custom-op-example              gradcheck softplus and swish
//   xgrad-custom-op-example --order 2    gradgradcheck them
//   xgrad-custom-op-example --list       the op names
#include <tools/gradcheck/gradcheck_main.h>
#include <xgrad.h>

#include <algorithm>
#include <cmath>
#include <vector>

// softplus(x) = log(1 + exp(x)), in the stable form max(x, 0) + log1p(exp(-|x|))
// (no overflow at x = ±1000); its derivative is the sigmoid 1 / (1 + exp(-x)).
xgrad::Tensor softplus(const xgrad::Tensor& x) {
  xgrad::Array y = xgrad::map(x.value(), [](auto v) {
    return std::max(v, decltype(v)(0)) + std::log1p(std::exp(-std::abs(v)));
  });
  return xgrad::record("softplus", std::move(y), {x},
                       [](const xgrad::Node& out, const xgrad::Tensor& dy) {
                         return xgrad::Grads{dy * xgrad::sigmoid(out.input(0))};
                       });
}

// swish(x) = x · s(x), s the sigmoid; d/dx = s + x · s · (1 - s).
xgrad::Tensor swish(const xgrad::Tensor& x) {
  xgrad::Array y =
      xgrad::map(x.value(), [](auto v) { return v / (1 + std::exp(-v)); });  // x · s(x)
  return xgrad::record("swish", std::move(y), {x},
                       [](const xgrad::Node& out, const xgrad::Tensor& dy) {
                         const xgrad::Tensor x = out.input(0), s = xgrad::sigmoid(x);
                         return xgrad::Grads{dy * (s + x * s * (1.0 - s))};
                       });
}

int main(int argc, char** argv) {
  using namespace xgrad;
  // Sample inputs: random ones, and the far tails where an unstable form
  // would overflow (a NaN or inf there fails the check).
  auto samples = [](Generator& g) {
    return std::vector<OpSample>{
        {"(3, 4)", {Tensor(g.normal({3, 4}, 0.0, 2.0, kFloat64))}},
        {"(5) in [-30, 30]", {Tensor(g.uniform({5}, -30, 30, kFloat64))}},
        {"(4) at +-40, +-1000", {tensor({-1000.0, -40.0, 40.0, 1000.0}, kFloat64)}},
    };
  };
  std::vector<OpInfo> my_ops;
  my_ops.emplace_back(
      "softplus", [](const std::vector<Tensor>& x) { return ::softplus(x[0]); }, samples);
  my_ops.emplace_back(
      "swish", [](const std::vector<Tensor>& x) { return swish(x[0]); }, samples);
  return gradcheck_main(argc, argv, my_ops);
}
