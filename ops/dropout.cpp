#include "ops/dropout.h"

#include <cmath>
#include <sstream>
#include <string>

#include "framework/array_map.h"
#include "framework/parallel.h"
#include "framework/record.h"
#include "ops/arithmetic.h"

namespace xgrad {

namespace {
void check_p(const char* op, double p) {
  if (!(p >= 0 && p <= 1)) {
    std::ostringstream os;
    os << op << ": p must be in [0, 1], got " << p;
    throw ValueError(os.str());
  }
}
}  // namespace

Array dropout_mask(const Shape& shape, double p, Generator& gen, DType dtype) {
  check_p("dropout_mask", p);
  Array mask = Array::empty(shape, dtype);
  const std::uint64_t seed = gen.seed();
  const std::uint64_t first = gen.advance(mask.size());
  dispatch(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* m = mask.data<T>();
    parallel_for(0, mask.size(), kTranscendentalGrain, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) {
        m[i] = Generator::uniform01(seed, first + i) < p ? T(0) : T(1);
      }
    });
  });
  return mask;
}

Tensor dropout_with_mask(const Tensor& x, const Array& mask, double scale) {
  const char* op = "dropout_with_mask";
  check_float(op, x);
  if (!mask.defined()) throw GraphError("dropout_with_mask: mask is an undefined array");
  if (mask.shape() != x.shape()) {
    throw_shape_error(op, "mask must have the input's shape", "input", x.shape(), "mask",
                      mask.shape());
  }
  if (mask.dtype() != x.dtype()) {
    throw_dtype_error(op, "dtypes must match", "input", x.dtype(), "mask", mask.dtype());
  }
  if (!std::isfinite(scale)) throw ValueError("dropout_with_mask: scale must be finite");
  // One multiplier m · s, used by forward and saved for backward as a
  // constant leaf (no inputs: it cannot make a cycle).
  Tensor mult(map(mask, [scale](auto m) { return m * decltype(m)(scale); }));
  Array y = map(x.value(), mult.value(), [](auto v, auto k) { return v * k; });
  return record("dropout", std::move(y), {x},
                [mult](const Node&, const Tensor& dy) { return Grads{mul(dy, mult)}; });
}

Tensor dropout(const Tensor& x, double p, bool training, Generator& gen) {
  check_float("dropout", x);
  check_p("dropout", p);
  if (!training || p == 0) return x;
  const double scale = p < 1 ? 1.0 / (1.0 - p) : 0.0;  // p = 1 drops everything
  return dropout_with_mask(x, dropout_mask(x.shape(), p, gen, x.dtype()), scale);
}

}  // namespace xgrad
