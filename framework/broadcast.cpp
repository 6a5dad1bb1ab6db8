#include "framework/broadcast.h"

#include <algorithm>

namespace xgrad {

Shape broadcast_shapes(const std::string& op, const Shape& a, const Shape& b) {
  const std::size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (std::size_t i = 0; i < rank; ++i) {
    std::size_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    std::size_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) {
      throw_shape_error(op, "shapes are not broadcastable", "lhs", a, "rhs", b);
    }
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::vector<std::size_t> broadcast_strides(const Shape& shape, const Shape& out) {
  const std::size_t rank = out.size();
  const std::size_t lead = rank - shape.size();
  std::vector<std::size_t> strides(rank, 0);
  std::size_t stride = 1;
  for (std::size_t d = rank; d-- > lead;) {
    std::size_t extent = shape[d - lead];
    strides[d] = extent == 1 ? 0 : stride;
    stride *= extent;
  }
  return strides;
}

Array broadcast_to(const std::string& op, const Array& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  if (x.dim() > shape.size() || broadcast_shapes(op, x.shape(), shape) != shape) {
    throw_shape_error(op, "shape does not broadcast to the target", "input", x.shape(), "target",
                      shape);
  }
  Array out = Array::empty(shape, x.dtype());
  const std::size_t n = out.size();
  if (n == 0) return out;
  const std::size_t rank = shape.size();
  const std::size_t cols = shape[rank - 1], rows = n / cols;
  const std::vector<std::size_t> st = broadcast_strides(x.shape(), shape);
  dispatch_any(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* src = x.data<T>();
    T* dst = out.data<T>();
    // One output row (last dimension) per step, each written by one task.
    parallel_for(0, rows, std::max<std::size_t>(1, kElementwiseGrain / cols),
                 [&](std::size_t r0, std::size_t r1) {
                   for (std::size_t r = r0; r < r1; ++r) {
                     std::size_t off = 0, rem = r;
                     for (std::size_t d = rank - 1; d-- > 0;) {
                       off += (rem % shape[d]) * st[d];
                       rem /= shape[d];
                     }
                     T* row = dst + r * cols;
                     const std::size_t cs = st[rank - 1];
                     for (std::size_t c = 0; c < cols; ++c) row[c] = src[off + c * cs];
                   }
                 });
  });
  return out;
}

Array sum_to(const Array& g, const Shape& shape) {
  if (g.shape() == shape) return g;
  const Shape& out = g.shape();
  if (broadcast_shapes("sum_to", shape, out) != out) {
    throw_shape_error("sum_to", "target must broadcast to the gradient", "gradient", out, "target",
                      shape);
  }
  Array r = Array::zeros(shape, g.dtype());
  const std::size_t n = g.size(), m = r.size();
  if (n == 0) return r;
  dispatch(g.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* x = g.data<T>();
    T* y = r.data<T>();
    if (m == 1) {
      y[0] = parallel_sum<T>(0, n, kElementwiseGrain, [&](std::size_t b, std::size_t e) {
        T acc = 0;
        for (std::size_t i = b; i < e; ++i) acc += x[i];
        return acc;
      });
      return;
    }
    // Each target element sums its preimages in increasing order; the
    // target is split across tasks, so the sums do not depend on threads.
    const std::size_t rank = out.size();
    std::vector<std::size_t> st = broadcast_strides(shape, out);
    if (n % m == 0 && std::equal(shape.begin(), shape.end(), out.end() - shape.size()) &&
        std::all_of(shape.begin(), shape.end(), [](std::size_t d) { return d != 1; })) {
      // Leading dimensions only (e.g. bias (C) from (N, C)): column sums.
      const std::size_t rows = n / m;
      parallel_for(0, m, std::max<std::size_t>(1, kElementwiseGrain / rows),
                   [&](std::size_t c0, std::size_t c1) {
                     for (std::size_t r = 0; r < rows; ++r) {
                       const T* xr = x + r * m;
                       for (std::size_t c = c0; c < c1; ++c) y[c] += xr[c];
                     }
                   });
      return;
    }
    std::vector<std::size_t> idx(rank, 0);
    std::size_t target = 0;
    for (std::size_t i = 0; i < n; ++i) {
      y[target] += x[i];
      for (std::size_t d = rank; d-- > 0;) {
        target += st[d];
        if (++idx[d] < out[d]) break;
        target -= st[d] * out[d];
        idx[d] = 0;
      }
    }
  });
  return r;
}

}  // namespace xgrad
