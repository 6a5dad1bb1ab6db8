#include "ops/activations.h"

#include <cmath>

#include "framework/array_map.h"
#include "framework/record.h"
#include "ops/arithmetic.h"
#include "ops/compare.h"
#include "ops/elementwise.h"
#include "ops/sigmoid.h"
#include "ops/tanh.h"

namespace xgrad {

namespace {

constexpr double kSqrt1_2 = 0.70710678118654752440;      // 1/√2
constexpr double kInvSqrt2Pi = 0.39894228040143267794;   // 1/√(2π)
constexpr double kSqrt2OverPi = 0.79788456080286535588;  // √(2/π)
constexpr double kGeluCubic = 0.044715;

bool tanh_form(const char* op, const std::string& approximate) {
  if (approximate != "none" && approximate != "tanh") {
    throw_value_error(op, "approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
  }
  return approximate == "tanh";
}

template <class T>
T gelu_value(T x, bool tanh_form) {
  if (tanh_form) {
    const T u = T(kSqrt2OverPi) * (x + T(kGeluCubic) * x * x * x);
    return T(0.5) * x * (T(1) + std::tanh(u));
  }
  return T(0.5) * x * (T(1) + std::erf(x * T(kSqrt1_2)));
}

template <class T>
T gelu_slope(T x, bool tanh_form) {
  if (tanh_form) {
    const T k = T(kSqrt2OverPi), c = T(kGeluCubic);
    const T t = std::tanh(k * (x + c * x * x * x));
    return T(0.5) * (T(1) + t) + T(0.5) * x * (T(1) - t * t) * k * (T(1) + T(3) * c * x * x);
  }
  return T(0.5) * (T(1) + std::erf(x * T(kSqrt1_2))) +
         x * T(kInvSqrt2Pi) * std::exp(T(-0.5) * x * x);
}

// gelu'(x) written with ops: what gelu_backward's derivatives come from.
Tensor gelu_slope_composite(const Tensor& x, bool tanh_form) {
  if (tanh_form) {
    const Tensor x2 = square(x);
    const Tensor t = tanh(mul(mul(x, add(mul(x2, kGeluCubic), 1.0)), kSqrt2OverPi));
    const Tensor du = mul(add(mul(x2, 3 * kGeluCubic), 1.0), kSqrt2OverPi);  // u'(x)
    return add(mul(add(t, 1.0), 0.5), mul(mul(mul(x, 0.5), rsub(1.0, square(t))), du));
  }
  const Tensor cdf = mul(add(erf(mul(x, kSqrt1_2)), 1.0), 0.5);
  return add(cdf, mul(x, mul(exp(mul(square(x), -0.5)), kInvSqrt2Pi)));
}

void check_gradient(const char* op, const Tensor& dy, const Tensor& x) {
  check_same_dtype(op, dy, x, "gradient", "input");
  if (dy.shape() != x.shape()) {
    throw_shape_error(op, "shapes must match", "gradient", dy.shape(), "input", x.shape());
  }
}

}  // namespace

Tensor gelu(const Tensor& x, const std::string& approximate) {
  check_float("gelu", x);
  const bool t = tanh_form("gelu", approximate);
  Array y = map<kTranscendentalGrain>(x.value(), [t](auto v) { return gelu_value(v, t); });
  return record("gelu", std::move(y), {x}, [approximate](const Node& out, const Tensor& dy) {
    return Grads{gelu_backward(dy, out.input(0), approximate)};
  });
}

Tensor gelu_backward(const Tensor& dy, const Tensor& x, const std::string& approximate) {
  const char* op = "gelu_backward";
  check_gradient(op, dy, x);
  const bool t = tanh_form(op, approximate);
  Array dx = map<kTranscendentalGrain>(dy.value(), x.value(),
                                       [t](auto g, auto v) { return g * gelu_slope(v, t); });
  return record_fused(op, std::move(dx), {dy, x}, [t](const std::vector<Tensor>& in) {
    return mul(in[0], gelu_slope_composite(in[1], t));
  });
}

Tensor leaky_relu(const Tensor& x, double negative_slope) {
  check_float("leaky_relu", x);
  Array y = map(x.value(),
                [negative_slope](auto v) { return v > 0 ? v : v * decltype(v)(negative_slope); });
  return record("leaky_relu", std::move(y), {x},
                [negative_slope](const Node& out, const Tensor& dy) {
                  Array slope = map(out.input_value(0), [negative_slope](auto v) {
                    using T = decltype(v);
                    return v > 0 ? T(1) : T(negative_slope);
                  });
                  return Grads{mul(dy, Tensor(std::move(slope)))};
                });
}

Tensor elu(const Tensor& x, double alpha) {
  check_float("elu", x);
  Array y = map<kTranscendentalGrain>(x.value(), [alpha](auto v) {
    using T = decltype(v);
    return v > 0 ? v : T(alpha) * std::expm1(v);
  });
  return record("elu", std::move(y), {x}, [alpha](const Node& out, const Tensor& dy) {
    // For x <= 0, y' = alpha exp(x) = y + alpha: written with the output.
    return Grads{where(gt(out.input(0), 0.0), dy, mul(dy, add(out.output(), alpha)))};
  });
}

Tensor silu(const Tensor& x) {
  check_float("silu", x);
  Array y = map<kTranscendentalGrain>(x.value(), [](auto v) { return v * kernels::sigmoid(v); });
  return record("silu", std::move(y), {x}, [](const Node& out, const Tensor& dy) {
    return Grads{silu_backward(dy, out.input(0))};
  });
}

Tensor silu_backward(const Tensor& dy, const Tensor& x) {
  const char* op = "silu_backward";
  check_gradient(op, dy, x);
  Array dx = map<kTranscendentalGrain>(dy.value(), x.value(), [](auto g, auto v) {
    const auto s = kernels::sigmoid(v);
    return g * s * (1 + v * (1 - s));
  });
  return record_fused(op, std::move(dx), {dy, x}, [](const std::vector<Tensor>& in) {
    const Tensor& x = in[1];
    const Tensor s = sigmoid(x);
    return mul(in[0], mul(s, add(mul(x, rsub(1.0, s)), 1.0)));
  });
}

Tensor softplus(const Tensor& x, double beta, double threshold) {
  check_float("softplus", x);
  Array y = map<kTranscendentalGrain>(x.value(), [beta, threshold](auto v) {
    using T = decltype(v);
    const T bx = v * T(beta);
    return bx > T(threshold) ? v : std::log1p(std::exp(bx)) / T(beta);
  });
  return record("softplus", std::move(y), {x},
                [beta, threshold](const Node& out, const Tensor& dy) {
                  const Tensor bx = mul(out.input(0), beta);
                  return Grads{where(gt(bx, threshold), dy, mul(dy, sigmoid(bx)))};
                });
}

}  // namespace xgrad
