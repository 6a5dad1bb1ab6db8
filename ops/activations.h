// Activation functions, elementwise (PyTorch's torch.nn.functional names and defaults).
//   gelu (approximate "none"):  y = x Φ(x) = x/2 · (1 + erf(x/√2))
//   gelu (approximate "tanh"):  y = x/2 · (1 + tanh(u)), u = √(2/π) (x + 0.044715 x³)
//     backward: dx = gelu_backward(dy, x) = dy · gelu'(x), one fused pass
//       none: gelu'(x) = Φ(x) + x φ(x), φ(x) = exp(-x²/2)/√(2π)
//       tanh: gelu'(x) = (1 + t)/2 + x/2 · (1 - t²) · √(2/π)(1 + 3·0.044715 x²), t = tanh(u)
//     gelu_backward's own derivatives are those of that formula written with
//     ops (record_fused, Note [Fused ops]).                    reads x
//   leaky_relu: y = x if x > 0 else negative_slope · x     (negative_slope 0.01)
//     backward: dx = dy · (x > 0 ? 1 : negative_slope)    a constant mask: second derivative 0
//   elu:        y = x if x > 0 else alpha (exp(x) - 1)     (alpha 1)
//     backward: dx = dy if x > 0 else dy · (y + alpha)    saves y; reads x for the mask
//   silu:       y = x σ(x)
//     backward: dx = silu_backward(dy, x) = dy · σ(x)(1 + x(1 - σ(x))), one fused pass,
//     differentiable again through its composite (record_fused)      reads x
//   softplus:   y = log(1 + exp(βx))/β, or x where βx > threshold   (β 1, threshold 20)
//     backward: dx = dy · σ(βx), or dy where βx > threshold          reads x
//   shapes:   x: any -> y: same as x
// Subgradients at the kinks follow PyTorch: leaky_relu and elu at x = 0 take the
// x <= 0 branch. A NaN input gives a NaN output in every one of them.
#pragma once

#include <string>

#include "framework/tensor.h"

namespace xgrad {

// approximate: "none" (the exact erf form) or "tanh"; anything else is a ValueError.
Tensor gelu(const Tensor& x, const std::string& approximate = "none");
Tensor gelu_backward(const Tensor& dy, const Tensor& x, const std::string& approximate = "none");
Tensor leaky_relu(const Tensor& x, double negative_slope = 0.01);
Tensor elu(const Tensor& x, double alpha = 1.0);
Tensor silu(const Tensor& x);
Tensor silu_backward(const Tensor& dy, const Tensor& x);
Tensor softplus(const Tensor& x, double beta = 1.0, double threshold = 20.0);

}  // namespace xgrad
