// Gradient clipping, as PyTorch's torch::nn::utils::clip_grad_norm_ and
// clip_grad_value_: call between backward() and the optimiser's step().
//
//   loss.backward();
//   double norm = clip_grad_norm_(model->parameters(), 1.0);  // ‖g‖₂ before clipping
//   optimizer.step();
//
// clip_grad_norm_ treats the gradients of all parameters as one vector g:
//   ‖g‖_p = (Σ |g_i|^p)^(1/p)    (p = ∞: max |g_i|)
//   c = max_norm / (‖g‖_p + 1e-6);   if c < 1: g ← c · g   (PyTorch's ε and rule)
// and returns ‖g‖_p before clipping. clip_grad_value_ clamps every element
// to [−clip_value, clip_value].
// Only parameters that require grad and hold a gradient take part (a frozen
// parameter keeps its stale gradient out of the norm, as step() skips it;
// PyTorch counts any .grad that is defined). A NaN in a gradient makes the
// norm NaN: with error_if_nonfinite a ValueError says so and nothing
// changes; without it the gradients are scaled by the NaN factor (PyTorch's
// behaviour: the optimiser's nonfinite_gradients() then reports them), and
// an infinite norm scales every finite element to 0. NaNs pass through
// clip_grad_value_ unchanged.
// The norm is accumulated in float64 in parameter order, one thread: the
// same bits for any thread count.
// Thread safety: none (writes the gradients).
#pragma once

#include <vector>

#include "framework/tensor.h"
#include "models/module.h"

namespace xgrad {

// REQUIRES: max_norm >= 0 (ValueError); norm_type > 0 or +infinity
// (ValueError: PyTorch's norm_type 0 is not a norm).
double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm,
                       double norm_type = 2.0, bool error_if_nonfinite = false);
double clip_grad_norm_(const std::vector<Parameter>& parameters, double max_norm,
                       double norm_type = 2.0, bool error_if_nonfinite = false);
double clip_grad_norm_(const Tensor& parameter, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false);

// REQUIRES: clip_value >= 0 (ValueError).
void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value);
void clip_grad_value_(const std::vector<Parameter>& parameters, double clip_value);
void clip_grad_value_(const Tensor& parameter, double clip_value);

}  // namespace xgrad
