#include "ops/clamp.h"

#include <cmath>
#include <limits>

#include "framework/array_map.h"
#include "framework/record.h"
#include "ops/arithmetic.h"

namespace xgrad {

Tensor clamp(const Tensor& x, std::optional<double> min, std::optional<double> max) {
  check_float("clamp", x);
  if (!min && !max) throw_value_error("clamp", "at least one of min and max must be given");
  const double inf = std::numeric_limits<double>::infinity();
  const double lo = min.value_or(-inf), hi = max.value_or(inf);
  Array y = map(x.value(), [lo, hi](auto v) {
    using T = decltype(v);
    if (std::isnan(v)) return v;
    return v < T(lo) ? (T(lo) > T(hi) ? T(hi) : T(lo)) : v > T(hi) ? T(hi) : v;
  });
  return record("clamp", std::move(y), {x}, [lo, hi](const Node& out, const Tensor& dy) {
    Array mask = map(out.input_value(0), [lo, hi](auto v) {
      using T = decltype(v);
      return v >= T(lo) && v <= T(hi) ? T(1) : T(0);
    });
    return Grads{mul(dy, Tensor(std::move(mask)))};
  });
}

Tensor clamp_min(const Tensor& x, double min) { return clamp(x, min, std::nullopt); }

Tensor clamp_max(const Tensor& x, double max) { return clamp(x, std::nullopt, max); }

}  // namespace xgrad
