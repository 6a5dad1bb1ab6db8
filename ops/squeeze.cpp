#include "ops/squeeze.h"

#include <string>

#include "framework/record.h"
#include "ops/concat.h"
#include "ops/kernels/axis.h"
#include "ops/reshape.h"
#include "ops/slice.h"

namespace xgrad {

namespace {

// x with a new shape of the same size, recorded as `op`.
Tensor reshaped(const char* op, const Tensor& x, const Shape& shape) {
  if (shape == x.shape()) return x;
  const std::vector<std::int64_t> in(x.shape().begin(), x.shape().end());
  return record(op, x.value().reshaped(shape), {x},
                [in](const Node&, const Tensor& dy) { return Grads{reshape(dy, in)}; });
}

// dim in [-(rank+1), rank+1) as a position in [0, rank] of the new dimension.
std::size_t insert_position(const char* op, std::int64_t dim, const Shape& shape,
                            const char* name = "input") {
  Shape longer = shape;
  longer.push_back(1);
  return detail::normalize_axis(op, dim, longer, name);
}

}  // namespace

Tensor unsqueeze(const Tensor& x, std::int64_t dim) {
  check_defined("unsqueeze", x);
  const std::size_t at = insert_position("unsqueeze", dim, x.shape());
  Shape shape;
  for (std::size_t d = 0; d <= x.dim(); ++d) {
    if (d == at) shape.push_back(1);
    if (d < x.dim()) shape.push_back(x.shape()[d]);
  }
  return reshaped("unsqueeze", x, shape);
}

Tensor squeeze(const Tensor& x) {
  check_defined("squeeze", x);
  Shape shape;
  for (std::size_t d : x.shape()) {
    if (d != 1) shape.push_back(d);
  }
  return reshaped("squeeze", x, shape);
}

Tensor squeeze(const Tensor& x, std::int64_t dim) {
  check_defined("squeeze", x);
  if (x.dim() == 0 && (dim == 0 || dim == -1)) return x;  // PyTorch accepts dim 0 of a scalar
  const std::size_t d = detail::normalize_axis("squeeze", dim, x.shape());
  if (x.shape()[d] != 1) return x;
  Shape shape;
  for (std::size_t a = 0; a < x.dim(); ++a) {
    if (a != d) shape.push_back(x.shape()[a]);
  }
  return reshaped("squeeze", x, shape);
}

Tensor stack(const std::vector<Tensor>& xs, std::int64_t dim) {
  if (xs.empty()) throw ValueError("stack: needs at least one tensor");
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const std::string name = "input " + std::to_string(i);
    check_defined("stack", xs[i], name.c_str());
    if (xs[i].shape() != xs[0].shape()) {
      throw_shape_error("stack", "every tensor must have the same shape", "input 0", xs[0].shape(),
                        name, xs[i].shape());
    }
  }
  const std::int64_t at = std::int64_t(insert_position("stack", dim, xs[0].shape(), "input 0"));
  std::vector<Tensor> parts;
  parts.reserve(xs.size());
  for (const Tensor& x : xs) parts.push_back(unsqueeze(x, at));
  return concat(parts, at);
}

std::vector<Tensor> split_with_sizes(const Tensor& x, const std::vector<std::int64_t>& sizes,
                                     std::int64_t dim) {
  check_defined("split_with_sizes", x);
  const std::size_t d = detail::normalize_axis("split_with_sizes", dim, x.shape());
  std::int64_t total = 0;
  std::string list;
  for (std::int64_t s : sizes) {
    if (s < 0)
      throw_value_error("split_with_sizes", "sizes must be non-negative, got " + std::to_string(s));
    total += s;
    list += (list.empty() ? "" : ", ") + std::to_string(s);
  }
  if (total != std::int64_t(x.shape()[d])) {
    throw_shape_error("split_with_sizes",
                      "sizes (" + list + ") must sum to the size of axis " + std::to_string(d),
                      "input", x.shape());
  }
  std::vector<Tensor> out;
  std::int64_t at = 0;
  for (std::int64_t s : sizes) {
    out.push_back(slice(x, std::int64_t(d), at, at + s));
    at += s;
  }
  return out;
}

std::vector<Tensor> split(const Tensor& x, std::int64_t split_size, std::int64_t dim) {
  check_defined("split", x);
  const std::size_t d = detail::normalize_axis("split", dim, x.shape());
  const std::int64_t n = std::int64_t(x.shape()[d]);
  if (split_size < 0 || (split_size == 0 && n != 0)) {
    throw_value_error("split", "split_size must be positive, got " + std::to_string(split_size));
  }
  if (n == 0) return {x};  // PyTorch: one empty piece
  std::vector<Tensor> out;
  for (std::int64_t at = 0; at < n; at += split_size) {
    out.push_back(slice(x, std::int64_t(d), at, std::min(n, at + split_size)));
  }
  return out;
}

std::vector<Tensor> chunk(const Tensor& x, std::int64_t chunks, std::int64_t dim) {
  check_defined("chunk", x);
  if (chunks <= 0)
    throw_value_error("chunk", "chunks must be positive, got " + std::to_string(chunks));
  const std::size_t d = detail::normalize_axis("chunk", dim, x.shape());
  const std::int64_t n = std::int64_t(x.shape()[d]);
  return split(x, std::max<std::int64_t>(1, (n + chunks - 1) / chunks), dim);
}

}  // namespace xgrad
