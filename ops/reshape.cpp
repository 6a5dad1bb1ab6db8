#include "ops/reshape.h"

#include "framework/record.h"

namespace xgrad {

namespace {
Shape resolve(const Shape& from, const std::vector<std::int64_t>& to) {
  Shape out(to.size());
  std::size_t known = 1, infer = to.size();
  for (std::size_t i = 0; i < to.size(); ++i) {
    if (to[i] == -1 && infer == to.size()) {
      infer = i;
    } else if (to[i] < 0) {
      throw ValueError("reshape: dimensions must be non-negative, with at most one -1");
    } else {
      out[i] = std::size_t(to[i]);
      known *= out[i];
    }
  }
  if (infer < to.size()) {
    if (known == 0 || shape_size(from) % known != 0) {
      throw_shape_error("reshape", "cannot infer the -1 dimension", "input", from, "target", out);
    }
    out[infer] = shape_size(from) / known;
  }
  if (shape_size(out) != shape_size(from)) {
    throw_shape_error("reshape", "sizes must match", "input", from, "target", out);
  }
  return out;
}

Tensor reshape_to(const char* op, const Tensor& x, const Shape& shape) {
  Shape in_shape = x.shape();
  return record(op, x.value().reshaped(shape), {x}, [in_shape](const Node&, const Tensor& dy) {
    return Grads{reshape(dy, std::vector<std::int64_t>(in_shape.begin(), in_shape.end()))};
  });
}
}  // namespace

Tensor reshape(const Tensor& x, const std::vector<std::int64_t>& shape) {
  check_defined("reshape", x);
  return reshape_to("reshape", x, resolve(x.shape(), shape));
}

Tensor flatten(const Tensor& x) {
  check_defined("flatten", x);
  if (x.dim() < 1)
    throw_shape_error("flatten", "input must have a batch dimension", "input", x.shape());
  const std::size_t n = x.shape()[0];
  return reshape_to("flatten", x, {n, n == 0 ? 0 : x.size() / n});
}

}  // namespace xgrad
