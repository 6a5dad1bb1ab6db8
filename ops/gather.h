// gather and scatter_add along one axis (PyTorch's torch.gather, Tensor.scatter_add).
//   gather:      y[i] = x[i with i_dim replaced by index[i]]      (i runs over index's shape)
//   scatter_add: y = self, then y[i with i_dim replaced by index[i]] += src[i]
//                for every i of index's shape
//   backward:    gather:      dx = scatter_add(zeros(x.shape), dim, index, dy)
//                scatter_add: dself = dy, dsrc = gather(dy, dim, index) (zero outside
//                             index's shape when src is larger)
//                both linear in their tensor inputs, so each is the other's
//                gradient to any order; index gets none.   saves nothing: reads index
//   shapes:      gather: x and index of one rank, index.shape[d] <= x.shape[d] for
//                d != dim -> index.shape
//                scatter_add: self, index, src of one rank; index.shape[d] <= src.shape[d]
//                for all d and <= self.shape[d] for d != dim -> self.shape
//                index int64 with values in [0, x.shape[dim]) (self.shape[dim])
// Determinism: scatter_add runs one task per line of index along `dim` (the
// elements that share every other coordinate); lines write disjoint parts of
// y, and each adds its entries in ascending order: no atomics, the same bits
// for any thread count.
#pragma once

#include <cstdint>

#include "framework/tensor.h"

namespace xgrad {

Tensor gather(const Tensor& x, std::int64_t dim, const Tensor& index);
Tensor scatter_add(const Tensor& self, std::int64_t dim, const Tensor& index, const Tensor& src);

}  // namespace xgrad
