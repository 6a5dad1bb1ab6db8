#include "ops/logsumexp.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "framework/parallel.h"
#include "framework/record.h"
#include "ops/arithmetic.h"
#include "ops/elementwise.h"
#include "ops/expand.h"
#include "ops/kernels/axis.h"
#include "ops/reshape.h"
#include "ops/transpose.h"

namespace xgrad {

Tensor logsumexp(const Tensor& x, const Axes& dims, bool keepdim) {
  const char* op = "logsumexp";
  check_float(op, x);
  const std::vector<bool> mask = detail::axes_mask(op, dims.values(), x.shape());
  // Kept axes first, reduced axes last: each output element is a contiguous row.
  std::vector<std::size_t> order;
  std::size_t rows = 1, n = 1;
  for (std::size_t d = 0; d < x.dim(); ++d) {
    if (!mask[d]) order.push_back(d), rows *= x.shape()[d];
  }
  for (std::size_t d = 0; d < x.dim(); ++d) {
    if (mask[d]) order.push_back(d), n *= x.shape()[d];
  }
  const bool in_order = std::is_sorted(order.begin(), order.end());
  const Array moved = in_order ? Array() : kernels::permute(x.value(), order);
  const Array& src = in_order ? x.value() : moved;
  Array y = Array::empty(detail::reduced_shape(x.shape(), mask, keepdim), x.dtype());
  dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* px = src.data<T>();
    T* py = y.data<T>();
    const std::size_t grain =
        std::max<std::size_t>(1, kTranscendentalGrain / std::max<std::size_t>(1, n));
    parallel_for(0, rows, grain, [&](std::size_t r0, std::size_t r1) {
      for (std::size_t r = r0; r < r1; ++r) {
        const T* row = px + r * n;
        T m = n == 0 ? T(0) : row[0];
        for (std::size_t k = 1; k < n; ++k) m = std::max(m, row[k]);
        if (std::isinf(m)) m = T(0);
        double total = 0;
        for (std::size_t k = 0; k < n; ++k) total += double(std::exp(row[k] - m));
        py[r] = T(std::log(total)) + m;
      }
    });
  });
  const Shape kept = detail::reduced_shape(x.shape(), mask, true);
  const std::vector<std::int64_t> kept_shape(kept.begin(), kept.end());
  return record(op, std::move(y), {x}, [kept_shape](const Node& out, const Tensor& dy) {
    const Shape& shape = out.input_shape(0);
    const Tensor y = broadcast_to(reshape(out.output(), kept_shape), shape);
    return Grads{mul(broadcast_to(reshape(dy, kept_shape), shape), exp(sub(out.input(0), y)))};
  });
}

}  // namespace xgrad
