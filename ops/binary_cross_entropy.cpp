#include "ops/binary_cross_entropy.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

#include "framework/array_map.h"
#include "framework/record.h"
#include "ops/kernels/loss_kernels.h"
#include "ops/arithmetic.h"
#include "ops/clamp.h"
#include "ops/sigmoid.h"

namespace xgrad {

namespace {

// Shared by both forms: same shapes and dtypes, a non-empty input.
void check_inputs(const char* op, const Tensor& input, const Tensor& target, const char* name) {
  check_same_dtype(op, input, target, name, "target");
  if (input.shape() != target.shape()) {
    throw_shape_error(op, std::string(name) + " and target shapes must match", name, input.shape(),
                      "target", target.shape());
  }
  if (input.size() == 0) throw_shape_error(op, "input must not be empty", name, input.shape());
}

double reduction_scale(Reduction reduction, std::size_t m) {
  return reduction == Reduction::kMean ? 1.0 / double(m) : 1.0;
}

}  // namespace

Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, Reduction reduction) {
  const char* op = "binary_cross_entropy";
  check_inputs(op, input, target, "input");
  const Array& p = input.value();
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double v = p.at(i);
    if (!(v >= 0.0 && v <= 1.0)) {
      std::ostringstream os;
      os << op << ": input must hold probabilities in [0, 1]: element " << i << " is " << v;
      throw ValueError(os.str());
    }
  }
  const double s = reduction_scale(reduction, p.size());
  const double loss =
      s * kernels::sum_terms(p, target.value(), [](auto pv, auto yv) {
        using T = decltype(pv);
        const T lp = std::max(std::log(pv), T(-100));  // clamped: log never returns -inf here
        const T lq = std::max(std::log1p(-pv), T(-100));
        return -(yv * lp + (1 - yv) * lq);
      });
  // The label gets no gradient (as PyTorch).
  return record(op, Array::scalar(loss, p.dtype()), {input, target},
                [s](const Node& out, const Tensor& dy) {
                  if (!out.needs_grad(0)) return Grads{Tensor(), Tensor()};
                  return Grads{binary_cross_entropy_backward(dy, out.input(0), out.input(1), s),
                               Tensor()};
                });
}

Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& target,
                                        Reduction reduction) {
  const char* op = "binary_cross_entropy_with_logits";
  check_inputs(op, logits, target, "logits");
  const Array& z = logits.value();
  const double s = reduction_scale(reduction, z.size());
  const double loss = s * kernels::sum_terms(z, target.value(), [](auto zv, auto yv) {
                        using T = decltype(zv);
                        return std::max(zv, T(0)) - zv * yv + std::log1p(std::exp(-std::abs(zv)));
                      });
  // dz: the fused gradient op; d target = -dJ s z (as PyTorch)
  return record(op, Array::scalar(loss, z.dtype()), {logits, target},
                [s](const Node& out, const Tensor& dy) {
                  const Tensor z = out.input(0);
                  return Grads{out.needs_grad(0)
                                   ? binary_cross_entropy_with_logits_backward(dy, z, out.input(1), s)
                                   : Tensor(),
                               out.needs_grad(1) ? neg(mul(z, mul(dy, s))) : Tensor()};
                });
}

Tensor binary_cross_entropy_backward(const Tensor& dy, const Tensor& p, const Tensor& y,
                                     double scale) {
  const char* op = "binary_cross_entropy_backward";
  check_inputs(op, p, y, "input");
  check_same_dtype(op, dy, p, "gradient", "input");
  const double g = dy.item() * scale;
  Array dp = map(p.value(), y.value(), [g](auto pv, auto yv) {
    using T = decltype(pv);
    return T(g) * (pv - yv) / std::max(pv * (1 - pv), T(1e-12));
  });
  return record_fused(op, std::move(dp), {dy, p, y}, [scale](const std::vector<Tensor>& in) {
    const Tensor &dy = in[0], &p = in[1], &y = in[2];
    return mul(div(sub(p, y), clamp_min(mul(p, rsub(1.0, p)), 1e-12)), mul(dy, scale));
  });
}

Tensor binary_cross_entropy_with_logits_backward(const Tensor& dy, const Tensor& z,
                                                 const Tensor& y, double scale) {
  const char* op = "binary_cross_entropy_with_logits_backward";
  check_inputs(op, z, y, "logits");
  check_same_dtype(op, dy, z, "gradient", "logits");
  const double g = dy.item() * scale;
  Array dz = map<kTranscendentalGrain>(z.value(), y.value(), [g](auto zv, auto yv) {
    return decltype(zv)(g) * (kernels::sigmoid(zv) - yv);  // δ = g(z) − y   (L6)
  });
  return record_fused(op, std::move(dz), {dy, z, y}, [scale](const std::vector<Tensor>& in) {
    return mul(sub(sigmoid(in[1]), in[2]), mul(in[0], scale));
  });
}

}  // namespace xgrad
