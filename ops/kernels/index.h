// Index checks and the row copy and row sum under index_select, embedding and
// their gradients; not part of the public API.
//
// An array is viewed as (outer, n, inner) around one axis (ops/kernels/axis.h).
// select_rows copies rows idx[j] of the middle axis; add_rows is its adjoint,
// summing the rows that selected the same source row. add_rows parallelises
// over the rows it writes, and each output row adds its contributions in
// ascending order of j (from IndexGroups, a counting sort of idx): no atomics,
// and the same bits for any thread count.
// Thread safety: pure functions; each call splits its own output across tasks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "framework/array.h"

namespace xgrad::kernels {

// DTypeError "<op>: indices must be int64: <name> float32" unless int64.
void check_index_dtype(const std::string& op, const Array& index, const char* name = "index");
// ValueError "<op>: <name> 7 at position (1, 0) is out of range [0, 4)" for the
// first index outside [0, bound).
void check_index_range(const std::string& op, const Array& index, std::size_t bound,
                       const char* name = "index");

// For each source row k < bound, the positions j with idx[j] == k, ascending:
// positions[start[k] .. start[k + 1]).
struct IndexGroups {
  std::vector<std::size_t> start, positions;
};
IndexGroups group_positions(const std::int64_t* idx, std::size_t n, std::size_t bound);

// y (outer, n_idx, inner) with y[o, j, :] = x[o, idx[j], :]; x is (outer, n_src, inner).
// REQUIRES: indices checked.
Array select_rows(const Array& x, const Shape& out_shape, std::size_t outer, std::size_t n_src,
                  std::size_t inner, const std::int64_t* idx, std::size_t n_idx);

// dx (outer, bound, inner) = Σ over j in group k of dy[o, j, :] (0 for an
// empty group or for row `skip`, if skip < bound); dy is (outer, n_idx, inner).
Array add_rows(const Array& dy, const Shape& out_shape, std::size_t outer, std::size_t inner,
               const IndexGroups& groups, std::size_t bound, std::size_t skip);

}  // namespace xgrad::kernels
