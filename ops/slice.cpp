#include "ops/slice.h"

#include <algorithm>

#include "framework/parallel.h"
#include "framework/record.h"
#include "ops/kernels/axis.h"
#include "ops/kernels/copy.h"

namespace xgrad {

namespace kernels {

void copy_along_axis(const Array& src, std::size_t src_begin, Array& dst, std::size_t dst_begin,
                     std::size_t axis, std::size_t len) {
  const Shape& ss = src.shape();
  std::size_t outer = 1, inner = 1;
  for (std::size_t d = 0; d < axis; ++d) outer *= ss[d];
  for (std::size_t d = axis + 1; d < ss.size(); ++d) inner *= ss[d];
  // Each outer index owns one contiguous chunk of len * inner elements in
  // both arrays; the flat range of all chunks is split across tasks.
  const std::size_t chunk = len * inner;
  const std::size_t src_row = ss[axis] * inner, dst_row = dst.shape()[axis] * inner;
  const std::size_t src_off = src_begin * inner, dst_off = dst_begin * inner;
  if (chunk == 0 || outer == 0) return;
  dispatch_any(src.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* s = src.data<T>();
    T* t = dst.data<T>();
    parallel_for(0, outer * chunk, kElementwiseGrain, [&](std::size_t b, std::size_t e) {
      std::size_t r = b / chunk, c = b % chunk;
      while (b < e) {
        const std::size_t take = std::min(chunk - c, e - b);
        std::copy_n(s + r * src_row + src_off + c, take, t + r * dst_row + dst_off + c);
        b += take;
        ++r;
        c = 0;
      }
    });
  });
}

}  // namespace kernels

namespace {
// A slice bound resolved as Python does: negative counts from the end, then
// clamped to [0, n].
std::size_t resolve_bound(std::int64_t bound, std::size_t n) {
  const std::int64_t size = std::int64_t(n);
  if (bound < 0) bound += size;
  return std::size_t(std::clamp<std::int64_t>(bound, 0, size));
}

Tensor slice_impl(const char* op, const Tensor& x, std::int64_t axis_arg,
                  std::int64_t begin_arg, std::int64_t end_arg) {
  check_defined(op, x);
  const std::size_t axis = detail::normalize_axis(op, axis_arg, x.shape());
  const std::size_t n = x.shape()[axis];
  const std::size_t begin = resolve_bound(begin_arg, n);
  const std::size_t end = std::max(begin, resolve_bound(end_arg, n));
  Shape out_shape = x.shape();
  out_shape[axis] = end - begin;
  Array y = Array::empty(out_shape, x.dtype());
  kernels::copy_along_axis(x.value(), begin, y, 0, axis, end - begin);
  const Shape in_shape = x.shape();
  return record(op, std::move(y), {x}, [in_shape, axis, begin](const Node&, const Tensor& dy) {
    return Grads{slice_backward(dy, in_shape, std::int64_t(axis), std::int64_t(begin))};
  });
}
}  // namespace

Tensor slice(const Tensor& x, std::int64_t axis, std::int64_t begin, std::int64_t end) {
  return slice_impl("slice", x, axis, begin, end);
}

Tensor slice_rows(const Tensor& x, std::int64_t begin, std::int64_t end) {
  return slice_impl("slice_rows", x, 0, begin, end);
}

Tensor slice_backward(const Tensor& dy, const Shape& shape, std::int64_t axis_arg,
                      std::int64_t begin_arg) {
  const char* op = "slice_backward";
  check_float(op, dy, "gradient");
  const std::size_t axis = detail::normalize_axis(op, axis_arg, shape);
  const std::size_t len = dy.dim() == shape.size() ? dy.shape()[axis] : 0;
  const std::size_t begin = std::size_t(std::max<std::int64_t>(begin_arg, 0));
  bool fits = begin_arg >= 0 && dy.dim() == shape.size() && begin + len <= shape[axis];
  for (std::size_t d = 0; fits && d < shape.size(); ++d)
    fits = d == axis || dy.shape()[d] == shape[d];
  if (!fits) {
    throw_shape_error(op, "gradient must fit the input at begin " + std::to_string(begin_arg),
                      "gradient", dy.shape(), "input", shape);
  }
  Array dx = Array::zeros(shape, dy.dtype());
  kernels::copy_along_axis(dy.value(), 0, dx, begin, axis, len);
  return record(op, std::move(dx), {dy}, [axis, begin, len](const Node&, const Tensor& g) {
    return Grads{slice(g, std::int64_t(axis), std::int64_t(begin), std::int64_t(begin + len))};
  });
}

}  // namespace xgrad
