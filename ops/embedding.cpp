#include "ops/embedding.h"

#include <algorithm>
#include <string>

#include "framework/parallel.h"
#include "framework/record.h"
#include "ops/arithmetic.h"
#include "ops/kernels/index.h"

namespace xgrad {

namespace {

// padding_idx as a row in [0, V), or V for none; ValueError outside [-V, V).
std::size_t padding_row(const char* op, std::optional<std::int64_t> padding_idx, std::size_t v) {
  if (!padding_idx) return v;
  const std::int64_t p = *padding_idx, n = std::int64_t(v);
  if (p < -n || p >= n) {
    throw_value_error(op, "padding_idx " + std::to_string(p) + " is out of range [-" +
                              std::to_string(v) + ", " + std::to_string(v) + ")");
  }
  return std::size_t(p < 0 ? p + n : p);
}

void check_indices(const char* op, const Tensor& indices, std::size_t bound) {
  check_defined(op, indices, "indices");
  kernels::check_index_dtype(op, indices.value(), "indices");
  kernels::check_index_range(op, indices.value(), bound, "index");
}

}  // namespace

Tensor embedding(const Tensor& weight, const Tensor& indices,
                 std::optional<std::int64_t> padding_idx) {
  const char* op = "embedding";
  check_defined(op, weight, "weight");
  if (!is_floating(weight.dtype())) {
    throw_dtype_error(op,
                      "weight must be float32 or float64 (the order is embedding(weight, "
                      "indices), as torch::embedding)",
                      "weight", weight.dtype());
  }
  if (weight.dim() != 2)
    throw_shape_error(op, "weight must be 2-D (V, D)", "weight", weight.shape());
  const std::size_t v = weight.shape()[0], d = weight.shape()[1];
  check_indices(op, indices, v);
  const std::size_t pad = padding_row(op, padding_idx, v);
  Shape out_shape = indices.shape();
  out_shape.push_back(d);
  Array y = kernels::select_rows(weight.value(), out_shape, 1, v, d,
                                 indices.value().data<std::int64_t>(), indices.size());
  return record(op, std::move(y), {weight, indices}, [v, pad](const Node& out, const Tensor& dy) {
    std::optional<std::int64_t> p;
    if (pad < v) p = std::int64_t(pad);
    return Grads{embedding_backward(dy, out.input(1), v, p), Tensor()};
  });
}

Tensor embedding_backward(const Tensor& dy, const Tensor& indices, std::size_t num_weights,
                          std::optional<std::int64_t> padding_idx) {
  const char* op = "embedding_backward";
  check_float(op, dy, "gradient");
  check_indices(op, indices, num_weights);
  const std::size_t pad = padding_row(op, padding_idx, num_weights);
  const Shape& is = indices.shape();
  if (dy.dim() != is.size() + 1 || !std::equal(is.begin(), is.end(), dy.shape().begin())) {
    throw_shape_error(op, "gradient must be indices.shape + (D)", "gradient", dy.shape(), "indices",
                      is);
  }
  const std::size_t d = dy.shape()[is.size()];
  const kernels::IndexGroups groups =
      kernels::group_positions(indices.value().data<std::int64_t>(), indices.size(), num_weights);
  Array dw = kernels::add_rows(dy.value(), {num_weights, d}, 1, d, groups, num_weights, pad);
  return record(op, std::move(dw), {dy, indices},
                [pad, num_weights](const Node& out, const Tensor& g) {
                  Tensor gw = g;
                  if (pad < num_weights) {
                    // Row padding_idx received nothing, so its gradient does not reach dy.
                    Array keep = Array::full({num_weights, 1}, 1.0, g.dtype());
                    keep.set(pad, 0.0);
                    gw = mul(g, Tensor(std::move(keep)));
                  }
                  return Grads{embedding(gw, out.input(1)), Tensor()};
                });
}

Tensor one_hot(const Tensor& indices, std::int64_t num_classes) {
  const char* op = "one_hot";
  check_defined(op, indices, "indices");
  kernels::check_index_dtype(op, indices.value(), "indices");
  const std::int64_t* idx = indices.value().data<std::int64_t>();
  const std::size_t n = indices.size();
  if (num_classes == -1) {
    if (n == 0) throw_value_error(op, "cannot infer num_classes from empty indices");
    num_classes = *std::max_element(idx, idx + n) + 1;
  } else if (num_classes < 0) {
    throw_value_error(op, "num_classes must be positive or -1, got " + std::to_string(num_classes));
  }
  const std::size_t k = std::size_t(num_classes);
  kernels::check_index_range(op, indices.value(), k, "index");
  Shape shape = indices.shape();
  shape.push_back(k);
  Array y = Array::zeros(shape, kInt64);
  std::int64_t* py = y.data<std::int64_t>();
  parallel_for(0, n, std::max<std::size_t>(1, kElementwiseGrain / std::max<std::size_t>(1, k)),
               [&](std::size_t b, std::size_t e) {
                 for (std::size_t i = b; i < e; ++i) py[i * k + std::size_t(idx[i])] = 1;
               });
  return Tensor(std::move(y));
}

}  // namespace xgrad
