#include "ops/expand.h"

#include "framework/broadcast.h"
#include "framework/record.h"

namespace xgrad {

Tensor broadcast_to(const Tensor& x, const Shape& shape) {
  check_float("broadcast_to", x);
  if (x.shape() == shape) return x;
  const Shape in_shape = x.shape();
  return record("broadcast_to", broadcast_to("broadcast_to", x.value(), shape), {x},
                [in_shape](const Node&, const Tensor& dy) {
                  return Grads{sum_to_size(dy, in_shape)};
                });
}

Tensor expand(const Tensor& x, const std::vector<std::int64_t>& sizes) {
  check_float("expand", x);
  const Shape& in = x.shape();
  if (sizes.size() < in.size()) {
    throw_shape_error("expand", "sizes must have at least the input's rank", "input", in,
                      "sizes", Shape(sizes.size(), 0));
  }
  Shape shape(sizes.size());
  const std::size_t lead = sizes.size() - in.size();
  for (std::size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] == -1) {
      if (d < lead) throw_value_error("expand", "-1 is not allowed for a new leading dimension");
      shape[d] = in[d - lead];
    } else if (sizes[d] < 0) {
      throw_value_error("expand", "sizes must be non-negative or -1");
    } else {
      shape[d] = std::size_t(sizes[d]);
    }
  }
  return broadcast_to(x, shape);
}

Tensor sum_to_size(const Tensor& x, const Shape& shape) {
  check_float("sum_to_size", x);
  if (x.shape() == shape) return x;
  const Shape in_shape = x.shape();
  return record("sum_to_size", sum_to(x.value(), shape), {x},
                [in_shape](const Node&, const Tensor& dy) {
                  return Grads{broadcast_to(dy, in_shape)};
                });
}

}  // namespace xgrad
