// Layer and batch normalisation (PyTorch's F.layer_norm and F.batch_norm), with
// fused forward and backward kernels (ops/kernels/normalize.h).
//   layer_norm(x, normalized_shape, weight, bias, eps = 1e-5): over the last
//     len(normalized_shape) dims of x, which must equal normalized_shape:
//     y = (x - μ) / sqrt(σ² + eps) · weight + bias, μ, σ² (biased) per leading index
//   batch_norm(x, running_mean, running_var, weight, bias, training, momentum = 0.1,
//     eps = 1e-5): x (N, C, *), statistics per channel C over N and the rest;
//     training: μ, σ² (biased) of the batch normalise; running_mean and running_var
//       (if given) are updated in place, under no-grad, with momentum and the
//       UNBIASED variance: r = (1 - momentum) r + momentum · stat (as PyTorch)
//     eval: the running statistics normalise (they must be given)
//   backward: with g = dy · weight (dy where there is no weight) and
//     xhat = (x - μ) / sqrt(σ² + eps):
//     training / layer_norm: dx = *_norm_backward(g, x) = rstd (g - mean(g) - xhat mean(g xhat)),
//       one fused pass per gradient op, whose own derivatives are those of the same
//       formula written with ops (record_fused); means over the normalised elements.
//     eval: dx = g / sqrt(running_var + eps) (the running statistics are constants).
//     dweight = Σ dy · xhat, dbias = Σ dy over everything but the parameter's axes
//     (xhat recomputed with the op itself, so every gradient is differentiable again).
//     saves the statistics (μ, rstd per group) for the first-order gradient.
//   shapes: weight and bias (optional, undefined Tensor = none): normalized_shape
//     (layer_norm) or (C) (batch_norm); running stats (C); y: x's shape.
// Numerics: two-pass statistics in double, stable for large means (x = 1e4 + noise
// in float32). Bit-identical for any thread count: each group is reduced by one task.
#pragma once

#include <cstdint>
#include <vector>

#include "framework/tensor.h"

namespace xgrad {

Tensor layer_norm(const Tensor& x, const std::vector<std::int64_t>& normalized_shape,
                  const Tensor& weight = Tensor(), const Tensor& bias = Tensor(),
                  double eps = 1e-5);
Tensor batch_norm(const Tensor& x, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight = Tensor(), const Tensor& bias = Tensor(),
                  bool training = false, double momentum = 0.1, double eps = 1e-5);

// The input gradients of the normalisations without their affine part, for
// g = dy · weight.
Tensor layer_norm_backward(const Tensor& g, const Tensor& x,
                           const std::vector<std::int64_t>& normalized_shape, double eps = 1e-5);
Tensor batch_norm_backward(const Tensor& g, const Tensor& x, double eps = 1e-5);

}  // namespace xgrad
