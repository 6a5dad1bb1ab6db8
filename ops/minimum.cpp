#include "ops/minimum.h"

#include <cmath>

#include "framework/broadcast.h"
#include "framework/record.h"
#include "ops/arithmetic.h"
#include "ops/expand.h"

namespace xgrad {

namespace {

// maximum when `is_max`, else minimum.
Tensor extremum(const char* op, const Tensor& a, const Tensor& b, bool is_max) {
  check_same_dtype(op, a, b);
  Array y = broadcast_map(op, a.value(), b.value(), [is_max](auto x, auto z) {
    if (std::isnan(x)) return x;
    if (std::isnan(z)) return z;
    return (is_max ? x > z : x < z) ? x : z;
  });
  return record(op, std::move(y), {a, b}, [op, is_max](const Node& out, const Tensor& dy) {
    // w(x, z): x's share of the gradient; z's share is w(z, x).
    auto weight = [is_max](auto x, auto z) {
      using T = decltype(x);
      if (x == z) return T(0.5);
      return (is_max ? x < z : x > z) ? T(0) : T(1);
    };
    const Array& av = out.input_value(0);
    const Array& bv = out.input_value(1);
    Grads g(2);
    if (out.needs_grad(0)) {
      Tensor w(broadcast_map(op, av, bv, weight));
      g[0] = sum_to_size(mul(dy, w), out.input_shape(0));
    }
    if (out.needs_grad(1)) {
      Tensor w(broadcast_map(op, bv, av, weight));
      g[1] = sum_to_size(mul(dy, w), out.input_shape(1));
    }
    return g;
  });
}

}  // namespace

Tensor maximum(const Tensor& a, const Tensor& b) { return extremum("maximum", a, b, true); }

Tensor minimum(const Tensor& a, const Tensor& b) { return extremum("minimum", a, b, false); }

}  // namespace xgrad
