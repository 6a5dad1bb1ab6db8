#include "ops/gather.h"

#include <algorithm>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/parallel.h"
#include "framework/record.h"
#include "ops/kernels/axis.h"
#include "ops/kernels/index.h"
#include "ops/slice.h"

namespace xgrad {

namespace {

std::vector<std::size_t> strides_of(const Shape& shape) {
  std::vector<std::size_t> s(shape.size());
  for (std::size_t d = shape.size(), n = 1; d-- > 0;) {
    s[d] = n;
    n *= shape[d];
  }
  return s;
}

// The lines of `index` along `dim`: f(line, a, b, c) for each, where a, b, c
// are the offsets of the line's first element in arrays of strides sa, sb, sc
// (coordinates along dim at 0). Lines run in parallel, each on one task.
template <class F>
void for_each_line(const Shape& index_shape, std::size_t dim, const std::vector<std::size_t>& sa,
                   const std::vector<std::size_t>& sb, const std::vector<std::size_t>& sc, F f) {
  const std::size_t n = index_shape[dim];
  const std::size_t lines = n == 0 ? 0 : shape_size(index_shape) / n;
  parallel_for(0, lines, std::max<std::size_t>(1, kElementwiseGrain / std::max<std::size_t>(1, n)),
               [&](std::size_t l0, std::size_t l1) {
                 for (std::size_t l = l0; l < l1; ++l) {
                   std::size_t a = 0, b = 0, c = 0, rem = l;
                   for (std::size_t d = index_shape.size(); d-- > 0;) {
                     if (d == dim) continue;
                     const std::size_t i = rem % index_shape[d];
                     rem /= index_shape[d];
                     a += i * sa[d];
                     b += i * sb[d];
                     c += i * sc[d];
                   }
                   f(a, b, c);
                 }
               });
}

// ShapeError unless index has x's rank and fits inside `limit` (all dims but
// `dim`, or all dims when `every`).
void check_fits(const char* op, const Tensor& index, const char* name, const Tensor& x,
                std::size_t dim, bool every) {
  bool fits = index.dim() == x.dim();
  for (std::size_t d = 0; fits && d < x.dim(); ++d) {
    fits = (d == dim && !every) || index.shape()[d] <= x.shape()[d];
  }
  if (!fits) {
    throw_shape_error(op,
                      std::string("index must have the ") + name + "'s rank and fit inside it" +
                          (every ? "" : " (but along dim)"),
                      name, x.shape(), "index", index.shape());
  }
}

}  // namespace

Tensor gather(const Tensor& x, std::int64_t dim, const Tensor& index) {
  const char* op = "gather";
  check_defined(op, x);
  check_defined(op, index, "index");
  kernels::check_index_dtype(op, index.value());
  const std::size_t d = detail::normalize_axis(op, dim, x.shape());
  check_fits(op, index, "input", x, d, false);
  kernels::check_index_range(op, index.value(), x.shape()[d]);
  Array y = Array::empty(index.shape(), x.dtype());
  const std::vector<std::size_t> sx = strides_of(x.shape()), si = strides_of(index.shape());
  const std::int64_t* idx = index.value().data<std::int64_t>();
  dispatch_any(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* px = x.value().data<T>();
    T* py = y.data<T>();
    const std::size_t n = index.shape()[d];
    for_each_line(index.shape(), d, sx, si, si, [&](std::size_t bx, std::size_t bi, std::size_t) {
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t at = bi + k * si[d];
        py[at] = px[bx + std::size_t(idx[at]) * sx[d]];
      }
    });
  });
  return record(op, std::move(y), {x, index}, [d](const Node& out, const Tensor& dy) {
    const Tensor zero = zeros(out.input_shape(0), dy.dtype());
    return Grads{scatter_add(zero, std::int64_t(d), out.input(1), dy), Tensor()};
  });
}

Tensor scatter_add(const Tensor& self, std::int64_t dim, const Tensor& index, const Tensor& src) {
  const char* op = "scatter_add";
  check_defined(op, self);
  check_defined(op, index, "index");
  check_defined(op, src, "src");
  if (self.dtype() != src.dtype()) {
    throw_dtype_error(op, "dtypes must match", "input", self.dtype(), "src", src.dtype());
  }
  kernels::check_index_dtype(op, index.value());
  const std::size_t d = detail::normalize_axis(op, dim, self.shape());
  check_fits(op, index, "input", self, d, false);
  check_fits(op, index, "src", src, d, true);
  kernels::check_index_range(op, index.value(), self.shape()[d]);
  Array y = self.value();
  const std::vector<std::size_t> so = strides_of(self.shape()), si = strides_of(index.shape()),
                                 ss = strides_of(src.shape());
  const std::int64_t* idx = index.value().data<std::int64_t>();
  dispatch_any(self.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* ps = src.value().data<T>();
    T* py = y.data<T>();
    const std::size_t n = index.shape()[d];
    for_each_line(index.shape(), d, so, si, ss,
                  [&](std::size_t bo, std::size_t bi, std::size_t bs) {
                    for (std::size_t k = 0; k < n; ++k) {
                      py[bo + std::size_t(idx[bi + k * si[d]]) * so[d]] += ps[bs + k * ss[d]];
                    }
                  });
  });
  return record(op, std::move(y), {self, index, src}, [d](const Node& out, const Tensor& g) {
    Grads grads(3);
    if (out.needs_grad(0)) grads[0] = g;
    if (out.needs_grad(2)) {
      Tensor ds = gather(g, std::int64_t(d), out.input(1));
      // Zero outside index's shape when src is larger: place ds at the origin.
      const Shape& src_shape = out.input_shape(2);
      Shape shape = ds.shape();
      for (std::size_t a = 0; a < shape.size(); ++a) {
        if (shape[a] == src_shape[a]) continue;
        shape[a] = src_shape[a];
        ds = slice_backward(ds, shape, std::int64_t(a), 0);
      }
      grads[2] = ds;
    }
    return grads;
  });
}

}  // namespace xgrad
