// Axis helpers shared by the ops that work along axes (sum, mean, max,
// softmax, concat, slice, indexing, normalisation); not part of the public API.
//
// An axis may be negative and then counts from the end, as in NumPy
// (-1 is the last axis). An op over one axis views its row-major input,
// without copying, as (outer, n, inner): outer = product of the dimensions
// before the axis, n = the axis's extent, inner = product of those after
// it. Element (o, k, i) is at o·n·inner + k·inner + i, and the outer·inner
// "rows" (o, i) are independent, which is what these ops parallelise over.
// Thread safety: pure functions.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "framework/error.h"
#include "framework/parallel.h"
#include "framework/shape.h"

namespace xgrad::detail {

// `axis` in [-rank, rank) as an index in [0, rank); otherwise ShapeError
// "<op>: axis 2 is out of range: <name> (2, 3)".
inline std::size_t normalize_axis(const std::string& op, std::int64_t axis, const Shape& shape,
                                  const std::string& name = "input") {
  const std::int64_t rank = std::int64_t(shape.size());
  if (axis < -rank || axis >= rank) {
    throw_shape_error(op, "axis " + std::to_string(axis) + " is out of range", name, shape);
  }
  return std::size_t(axis < 0 ? axis + rank : axis);
}

// Which dimensions `axes` name, as a mask over the dimensions of `shape`;
// ShapeError for an axis out of range or named twice
// ("<op>: duplicate axis 1: input (2, 3)", axis after normalising).
inline std::vector<bool> axes_mask(const std::string& op, const std::vector<std::int64_t>& axes,
                                   const Shape& shape) {
  std::vector<bool> mask(shape.size(), false);
  for (std::int64_t axis : axes) {
    const std::size_t a = normalize_axis(op, axis, shape);
    if (mask[a]) throw_shape_error(op, "duplicate axis " + std::to_string(a), "input", shape);
    mask[a] = true;
  }
  return mask;
}

// `shape` with the masked dimensions dropped, or set to 1 when keepdims.
inline Shape reduced_shape(const Shape& shape, const std::vector<bool>& mask, bool keepdims) {
  Shape out;
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (!mask[d]) {
      out.push_back(shape[d]);
    } else if (keepdims) {
      out.push_back(1);
    }
  }
  return out;
}

// The (outer, n, inner) view of a shape around one axis (see the top).
struct AxisView {
  std::size_t outer = 1, n = 1, inner = 1;

  std::size_t rows() const { return outer * inner; }
  // Rows per parallel_for task: about `grain` elements each.
  std::size_t row_grain(std::size_t grain = kElementwiseGrain) const {
    return n == 0 ? grain : std::max<std::size_t>(1, grain / n);
  }
  // Flat index of element k = 0 of row r; the row's elements are `inner` apart.
  std::size_t row_start(std::size_t r) const { return (r / inner) * n * inner + r % inner; }
};

// REQUIRES: axis < shape.size().
inline AxisView axis_view(const Shape& shape, std::size_t axis) {
  AxisView v;
  for (std::size_t d = 0; d < axis; ++d) v.outer *= shape[d];
  v.n = shape[axis];
  for (std::size_t d = axis + 1; d < shape.size(); ++d) v.inner *= shape[d];
  return v;
}

}  // namespace xgrad::detail
