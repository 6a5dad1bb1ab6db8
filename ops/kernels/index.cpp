#include "ops/kernels/index.h"

#include <algorithm>

#include "framework/parallel.h"

namespace xgrad::kernels {

void check_index_dtype(const std::string& op, const Array& index, const char* name) {
  if (index.dtype() != kInt64) {
    throw_dtype_error(op, "indices must be int64", name, index.dtype());
  }
}

void check_index_range(const std::string& op, const Array& index, std::size_t bound,
                       const char* name) {
  const std::int64_t* p = index.data<std::int64_t>();
  const std::int64_t b = std::int64_t(bound);
  for (std::size_t i = 0; i < index.size(); ++i) {
    if (p[i] >= 0 && p[i] < b) continue;
    Shape position(index.dim());
    for (std::size_t d = index.dim(), rem = i; d-- > 0;) {
      position[d] = rem % index.shape()[d];
      rem /= index.shape()[d];
    }
    throw_value_error(op, std::string(name) + " " + std::to_string(p[i]) + " at position " +
                              format_shape(position) + " is out of range [0, " +
                              std::to_string(bound) + ")");
  }
}

IndexGroups group_positions(const std::int64_t* idx, std::size_t n, std::size_t bound) {
  IndexGroups g;
  g.start.assign(bound + 1, 0);
  for (std::size_t j = 0; j < n; ++j) ++g.start[std::size_t(idx[j]) + 1];
  for (std::size_t k = 0; k < bound; ++k) g.start[k + 1] += g.start[k];
  g.positions.resize(n);
  std::vector<std::size_t> next(g.start.begin(), g.start.end() - 1);
  for (std::size_t j = 0; j < n; ++j) g.positions[next[std::size_t(idx[j])]++] = j;
  return g;
}

Array select_rows(const Array& x, const Shape& out_shape, std::size_t outer, std::size_t n_src,
                  std::size_t inner, const std::int64_t* idx, std::size_t n_idx) {
  Array y = Array::empty(out_shape, x.dtype());
  if (y.size() == 0) return y;
  dispatch_any(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* px = x.data<T>();
    T* py = y.data<T>();
    // One (o, j) row of `inner` elements per step.
    parallel_for(0, outer * n_idx, std::max<std::size_t>(1, kElementwiseGrain / inner),
                 [&](std::size_t r0, std::size_t r1) {
                   for (std::size_t r = r0; r < r1; ++r) {
                     const std::size_t o = r / n_idx, j = r % n_idx;
                     std::copy_n(px + (o * n_src + std::size_t(idx[j])) * inner, inner,
                                 py + r * inner);
                   }
                 });
  });
  return y;
}

Array add_rows(const Array& dy, const Shape& out_shape, std::size_t outer, std::size_t inner,
               const IndexGroups& groups, std::size_t bound, std::size_t skip) {
  Array dx = Array::empty(out_shape, dy.dtype());
  if (dx.size() == 0) return dx;
  const std::size_t n_idx = groups.positions.size();
  const std::size_t per_row = std::max<std::size_t>(
      1, inner * std::max<std::size_t>(1, n_idx / std::max<std::size_t>(1, bound)));
  dispatch(dy.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* pg = dy.data<T>();
    T* pd = dx.data<T>();
    parallel_for(0, outer * bound, std::max<std::size_t>(1, kElementwiseGrain / per_row),
                 [&](std::size_t r0, std::size_t r1) {
                   for (std::size_t r = r0; r < r1; ++r) {
                     const std::size_t o = r / bound, k = r % bound;
                     T* row = pd + r * inner;
                     std::fill_n(row, inner, T(0));
                     if (k == skip) continue;
                     for (std::size_t p = groups.start[k]; p < groups.start[k + 1]; ++p) {
                       const T* src = pg + (o * n_idx + groups.positions[p]) * inner;
                       for (std::size_t i = 0; i < inner; ++i) row[i] += src[i];
                     }
                   }
                 });
  });
  return dx;
}

}  // namespace xgrad::kernels
