#include "ops/transpose.h"

#include <algorithm>
#include <string>

#include "framework/parallel.h"
#include "framework/record.h"
#include "ops/kernels/axis.h"

namespace xgrad {

namespace kernels {

Array permute(const Array& x, const std::vector<std::size_t>& axes) {
  const Shape& in = x.shape();
  const std::size_t rank = in.size();
  Shape out_shape(rank);
  for (std::size_t d = 0; d < rank; ++d) out_shape[d] = in[axes[d]];
  if (rank == 0) return x;
  Array y = Array::empty(out_shape, x.dtype());
  const std::size_t n = y.size();
  if (n == 0) return y;
  // Input stride of each output dimension: walking output dimension d steps
  // input dimension axes[d].
  std::vector<std::size_t> in_strides(rank), strides(rank);
  for (std::size_t d = rank, s = 1; d-- > 0;) {
    in_strides[d] = s;
    s *= in[d];
  }
  for (std::size_t d = 0; d < rank; ++d) strides[d] = in_strides[axes[d]];
  dispatch_any(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* px = x.data<T>();
    T* py = y.data<T>();
    // One output row (last dimension) per step; each row is written by one
    // task, so the result does not depend on the thread count.
    const std::size_t cols = out_shape[rank - 1], rows = n / cols, step = strides[rank - 1];
    parallel_for(0, rows, std::max<std::size_t>(1, kElementwiseGrain / cols),
                 [&](std::size_t r0, std::size_t r1) {
                   for (std::size_t r = r0; r < r1; ++r) {
                     std::size_t offset = 0, rem = r;
                     for (std::size_t d = rank - 1; d-- > 0;) {
                       offset += (rem % out_shape[d]) * strides[d];
                       rem /= out_shape[d];
                     }
                     T* yr = py + r * cols;
                     for (std::size_t c = 0; c < cols; ++c) yr[c] = px[offset + c * step];
                   }
                 });
  });
  return y;
}

}  // namespace kernels

namespace {
Tensor permute_impl(const char* op, const Tensor& x, const std::vector<std::size_t>& axes) {
  std::vector<std::size_t> inverse(axes.size());
  for (std::size_t d = 0; d < axes.size(); ++d) inverse[axes[d]] = d;
  return record(op, kernels::permute(x.value(), axes), {x},
                [inverse](const Node&, const Tensor& dy) {
                  return Grads{permute_impl("permute", dy, inverse)};
                });
}
}  // namespace

Tensor transpose(const Tensor& x) {
  check_defined("transpose", x);
  if (x.dim() != 2) {
    throw_shape_error("transpose", "input must be 2-D (permute reorders other ranks)", "input",
                      x.shape());
  }
  return permute_impl("transpose", x, {1, 0});
}

Tensor transpose(const Tensor& x, std::int64_t dim0, std::int64_t dim1) {
  check_defined("transpose", x);
  const std::size_t a = detail::normalize_axis("transpose", dim0, x.shape());
  const std::size_t b = detail::normalize_axis("transpose", dim1, x.shape());
  std::vector<std::int64_t> axes(x.dim());
  for (std::size_t d = 0; d < axes.size(); ++d) axes[d] = std::int64_t(d);
  std::swap(axes[a], axes[b]);
  return permute(x, axes);
}

Tensor permute(const Tensor& x, const std::vector<std::int64_t>& axes) {
  check_defined("permute", x);
  const std::int64_t rank = std::int64_t(x.dim());
  std::vector<bool> seen(axes.size(), false);
  std::vector<std::size_t> resolved;
  bool valid = axes.size() == x.dim();
  for (std::int64_t a : axes) {
    const std::int64_t r = a < 0 ? a + rank : a;
    valid = valid && r >= 0 && r < rank && !seen[std::size_t(r)];
    if (!valid) break;
    seen[std::size_t(r)] = true;
    resolved.push_back(std::size_t(r));
  }
  if (!valid) {
    std::string list;
    for (std::int64_t a : axes) list += (list.empty() ? "" : ", ") + std::to_string(a);
    throw ShapeError("permute: axes must be a permutation of the input's dimensions: input " +
                     format_shape(x.shape()) + ", axes (" + list + ")");
  }
  return permute_impl("permute", x, resolved);
}

}  // namespace xgrad
