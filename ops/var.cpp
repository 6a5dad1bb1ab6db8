#include "ops/var.h"

#include <vector>

#include "framework/checks.h"
#include "ops/arithmetic.h"
#include "ops/elementwise.h"
#include "ops/kernels/axis.h"
#include "ops/sum.h"

namespace xgrad {

namespace {

Tensor variance(const char* op, const Tensor& x, const Axes& dims, bool unbiased, bool keepdim) {
  check_float(op, x);
  const std::vector<bool> mask = detail::axes_mask(op, dims.values(), x.shape());
  double count = 1;
  for (std::size_t d = 0; d < x.dim(); ++d) count *= mask[d] ? double(x.shape()[d]) : 1.0;
  const Tensor centered = sub(x, mean(x, dims, true));
  return div(sum(square(centered), dims, keepdim), count - (unbiased ? 1.0 : 0.0));
}

Axes all_axes(const Tensor& x) {
  std::vector<std::int64_t> axes(x.dim());
  for (std::size_t d = 0; d < axes.size(); ++d) axes[d] = std::int64_t(d);
  return axes;
}

}  // namespace

Tensor var(const Tensor& x, const Axes& dims, bool unbiased, bool keepdim) {
  return variance("var", x, dims, unbiased, keepdim);
}

Tensor std(const Tensor& x, const Axes& dims, bool unbiased, bool keepdim) {
  return sqrt(variance("std", x, dims, unbiased, keepdim));
}

Tensor var(const Tensor& x) { return detail::var_all(x, true, false); }

Tensor std(const Tensor& x) { return detail::var_all(x, true, true); }

namespace detail {
Tensor var_all(const Tensor& x, bool unbiased, bool take_sqrt) {
  const char* op = take_sqrt ? "std" : "var";
  check_float(op, x);
  const Tensor v = variance(op, x, all_axes(x), unbiased, false);
  return take_sqrt ? sqrt(v) : v;
}
}  // namespace detail

}  // namespace xgrad
