// Variance and standard deviation over axes (PyTorch's torch.var, torch.std).
//   forward:  var = Σ (x - mean)² / (N - c) over the reduced axes, N their element
//             count, c = 1 when unbiased (the default, Bessel's correction, as
//             PyTorch) else 0; std = sqrt(var). Two passes (the mean first), so
//             large means cost no precision.
//   backward: none of their own: composites of mean, sub, square, sum, div and
//             sqrt, differentiable to any order
//   shapes:   x any, dims as for sum (ops/axes.h) -> x without dims (keepdim: as 1);
//             var(x), std(x): over all elements -> ()
// N - c = 0 (one element, unbiased) divides by zero: NaN, as PyTorch.
// var(x, false) is the biased variance of all elements; an integer second
// argument is always an axis (var(x, 1) reduces axis 1, never a flag).
// Under `using namespace xgrad`, call std as xgrad::std: unqualified, the name
// also means the namespace std (as torch::std does).
#pragma once

#include <type_traits>

#include "framework/tensor.h"
#include "ops/axes.h"

namespace xgrad {

Tensor var(const Tensor& x, const Axes& dims, bool unbiased = true, bool keepdim = false);
Tensor std(const Tensor& x, const Axes& dims, bool unbiased = true, bool keepdim = false);
Tensor var(const Tensor& x);
Tensor std(const Tensor& x);

namespace detail {
Tensor var_all(const Tensor& x, bool unbiased, bool take_sqrt);
}  // namespace detail

// Over all elements with an explicit flag; a template taking exactly bool, so
// that var(x, 1) picks the axis overload above.
template <class B, std::enable_if_t<std::is_same_v<B, bool>, int> = 0>
Tensor var(const Tensor& x, B unbiased) {
  return detail::var_all(x, unbiased, false);
}
template <class B, std::enable_if_t<std::is_same_v<B, bool>, int> = 0>
Tensor std(const Tensor& x, B unbiased) {
  return detail::var_all(x, unbiased, true);
}

}  // namespace xgrad
