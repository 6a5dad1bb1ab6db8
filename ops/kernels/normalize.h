// The kernels under layer_norm and batch_norm (ops/normalization.h): per-group
// statistics, the normalising forward pass and the input gradient.
//
// A group is the set of elements normalised together: `blocks` runs of `len`
// contiguous elements, run b of group g starting at g·group_stride + b·block_stride.
//   layer_norm over the last dims of x (M, N):  groups M, blocks 1, len N
//   batch_norm of x (B, C, S):                  groups C, blocks B, len S,
//                                               group_stride S, block_stride C·S
// Statistics are two-pass in double (the mean first, then Σ (x - mean)²), so a
// large mean costs no precision (x = 1e4 + noise in float32 normalises
// correctly). Each group is reduced and written by one task, in a fixed order:
// the same bits for any thread count.
// Thread safety: pure functions; each call splits its own output across tasks.
#pragma once

#include <cstddef>
#include <vector>

namespace xgrad::kernels {

struct NormLayout {
  std::size_t groups = 0, blocks = 1, len = 0, group_stride = 0, block_stride = 0;
  std::size_t count() const { return blocks * len; }
  std::size_t offset(std::size_t g, std::size_t b) const {
    return g * group_stride + b * block_stride;
  }
};

struct NormStats {
  std::vector<double> mean, var, rstd;  // per group; var is biased (÷ count)
};

template <class T>
NormStats norm_stats(const T* x, const NormLayout& layout, double eps);

// y = (x - mean) · rstd · w + b. w and b (either may be null) are indexed by
// group when per_group (batch_norm's channels), else by the position in the
// group's single run (layer_norm's normalized_shape).
template <class T>
void norm_forward(const T* x, T* y, const NormLayout& layout, const NormStats& stats, const T* w,
                  const T* b, bool per_group);

// dx = rstd · (g - mean(g) - xhat · mean(g · xhat)) per group, xhat = (x - mean) · rstd:
// the input gradient of the normalisation without the affine part (g = dy · w).
template <class T>
void norm_backward(const T* g, const T* x, T* dx, const NormLayout& layout, const NormStats& stats);

}  // namespace xgrad::kernels
