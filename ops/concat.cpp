#include "ops/concat.h"

#include <string>

#include "framework/record.h"
#include "ops/kernels/axis.h"
#include "ops/kernels/copy.h"
#include "ops/slice.h"

namespace xgrad {

namespace {
// The axis, after checking that every input fits input 0 around it.
std::size_t check_inputs(const std::vector<Tensor>& xs, std::int64_t axis_arg) {
  const char* op = "concat";
  if (xs.empty()) throw ValueError("concat: needs at least one tensor");
  for (std::size_t i = 0; i < xs.size(); ++i) {
    check_defined(op, xs[i], ("input " + std::to_string(i)).c_str());
  }
  const std::size_t axis = detail::normalize_axis(op, axis_arg, xs[0].shape(), "input 0");
  const Shape& first = xs[0].shape();
  for (std::size_t i = 1; i < xs.size(); ++i) {
    const std::string name = "input " + std::to_string(i);
    if (xs[i].dtype() != xs[0].dtype()) {
      throw_dtype_error(op, "dtypes must match", "input 0", xs[0].dtype(), name, xs[i].dtype());
    }
    const Shape& s = xs[i].shape();
    bool fits = s.size() == first.size();
    for (std::size_t d = 0; fits && d < s.size(); ++d) fits = d == axis || s[d] == first[d];
    if (!fits) {
      throw_shape_error(op, "dimensions other than axis " + std::to_string(axis) + " must match",
                        "input 0", first, name, s);
    }
  }
  return axis;
}
}  // namespace

Tensor concat(const std::vector<Tensor>& xs, std::int64_t axis_arg) {
  const std::size_t axis = check_inputs(xs, axis_arg);
  std::vector<std::size_t> extents;
  Shape out_shape = xs[0].shape();
  out_shape[axis] = 0;
  for (const Tensor& x : xs) {
    extents.push_back(x.shape()[axis]);
    out_shape[axis] += x.shape()[axis];
  }
  Array y = Array::empty(out_shape, xs[0].dtype());
  for (std::size_t i = 0, at = 0; i < xs.size(); at += extents[i], ++i) {
    kernels::copy_along_axis(xs[i].value(), 0, y, at, axis, extents[i]);
  }
  return record("concat", std::move(y), xs, [axis, extents](const Node& out, const Tensor& dy) {
    Grads g(extents.size());
    for (std::size_t i = 0, at = 0; i < extents.size(); at += extents[i], ++i) {
      if (out.needs_grad(i))
        g[i] = slice(dy, std::int64_t(axis), std::int64_t(at), std::int64_t(at + extents[i]));
    }
    return g;
  });
}

}  // namespace xgrad
