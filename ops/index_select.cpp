#include "ops/index_select.h"

#include <string>

#include "framework/record.h"
#include "ops/kernels/axis.h"
#include "ops/kernels/index.h"

namespace xgrad {

namespace {
// Checks index (int64, at most 1-D); its entries are checked by the callers.
void check_index(const char* op, const Tensor& index) {
  check_defined(op, index, "index");
  kernels::check_index_dtype(op, index.value());
  if (index.dim() > 1) throw_shape_error(op, "index must be 0-D or 1-D", "index", index.shape());
}
}  // namespace

Tensor index_select(const Tensor& x, std::int64_t dim, const Tensor& index) {
  const char* op = "index_select";
  check_defined(op, x);
  check_index(op, index);
  const std::size_t d = detail::normalize_axis(op, dim, x.shape());
  const detail::AxisView v = detail::axis_view(x.shape(), d);
  kernels::check_index_range(op, index.value(), v.n);
  Shape out_shape = x.shape();
  out_shape[d] = index.size();
  Array y = kernels::select_rows(x.value(), out_shape, v.outer, v.n, v.inner,
                                 index.value().data<std::int64_t>(), index.size());
  return record(op, std::move(y), {x, index}, [d](const Node& out, const Tensor& dy) {
    return Grads{index_select_backward(dy, out.input(1), out.input_shape(0), std::int64_t(d)),
                 Tensor()};
  });
}

Tensor index_select_backward(const Tensor& dy, const Tensor& index, const Shape& shape,
                             std::int64_t dim) {
  const char* op = "index_select_backward";
  check_float(op, dy, "gradient");
  check_index(op, index);
  const std::size_t d = detail::normalize_axis(op, dim, shape);
  Shape expected = shape;
  expected[d] = index.size();
  if (dy.shape() != expected) {
    throw_shape_error(op, "gradient must have the selection's shape", "gradient", dy.shape(),
                      "selection", expected);
  }
  const detail::AxisView v = detail::axis_view(shape, d);
  kernels::check_index_range(op, index.value(), v.n);
  const kernels::IndexGroups groups =
      kernels::group_positions(index.value().data<std::int64_t>(), index.size(), v.n);
  Array dx = kernels::add_rows(dy.value(), shape, v.outer, v.inner, groups, v.n, v.n);
  return record(op, std::move(dx), {dy, index}, [d](const Node& out, const Tensor& g) {
    return Grads{index_select(g, std::int64_t(d), out.input(1)), Tensor()};
  });
}

}  // namespace xgrad
