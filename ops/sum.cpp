#include "ops/sum.h"

#include <algorithm>

#include "framework/broadcast.h"
#include "framework/parallel.h"
#include "framework/record.h"
#include "ops/arithmetic.h"
#include "ops/expand.h"
#include "ops/kernels/axis.h"
#include "ops/reshape.h"

namespace xgrad {

namespace {
// Adjacent dimensions of x that are all reduced or all kept, merged into
// one (extent, stride) run; size-1 dimensions are dropped.
struct Run {
  std::size_t extent, stride;
};

struct Plan {
  std::vector<Run> kept, reduced;  // outermost first
  bool innermost_reduced = false;  // the stride-1 run is a reduced one
};

Plan make_plan(const Shape& shape, const std::vector<bool>& mask) {
  Plan p;
  std::vector<Run> runs;  // innermost first while building
  std::vector<bool> is_reduced;
  std::size_t stride = 1;
  for (std::size_t d = shape.size(); d-- > 0;) {
    if (shape[d] == 1) continue;
    if (!runs.empty() && is_reduced.back() == mask[d]) {
      runs.back().extent *= shape[d];
    } else {
      runs.push_back({shape[d], stride});
      is_reduced.push_back(mask[d]);
    }
    stride *= shape[d];
  }
  if (runs.empty()) {  // a single element: one kept run of 1
    runs.push_back({1, 1});
    is_reduced.push_back(false);
  }
  p.innermost_reduced = is_reduced.front();
  for (std::size_t i = runs.size(); i-- > 0;)
    (is_reduced[i] ? p.reduced : p.kept).push_back(runs[i]);
  return p;
}

std::size_t count_of(const std::vector<Run>& runs) {
  std::size_t n = 1;
  for (const Run& r : runs) n *= r.extent;
  return n;
}

// Offset in x of element `index` of the row-major index space of `runs`.
std::size_t offset_of(std::size_t index, const std::vector<Run>& runs) {
  std::size_t off = 0;
  for (std::size_t d = runs.size(); d-- > 0;) {
    off += (index % runs[d].extent) * runs[d].stride;
    index /= runs[d].extent;
  }
  return off;
}

// f(offset) for every element of the index space of `runs`, row-major
// (f(0) once when there are no runs).
template <class F>
void walk(const std::vector<Run>& runs, F f) {
  Shape idx(runs.size(), 0);
  std::size_t off = 0;
  for (std::size_t c = 0, n = count_of(runs); c < n; ++c) {
    f(off);
    for (std::size_t d = runs.size(); d-- > 0;) {
      off += runs[d].stride;
      if (++idx[d] < runs[d].extent) break;
      off -= runs[d].stride * runs[d].extent;
      idx[d] = 0;
    }
  }
}

// Σ x[0..n) in double, in parallel_sum's fixed chunks.
template <class T>
double contiguous_sum(const T* x, std::size_t n) {
  return parallel_sum<double>(0, n, kElementwiseGrain, [x](std::size_t b, std::size_t e) {
    // Eight partial sums in a fixed order: the adds pipeline (and vectorise)
    // instead of waiting on one accumulator, and the result still depends
    // only on the data, not on the threads.
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    std::size_t i = b;
    for (; i + 8 <= e; i += 8) {
      for (std::size_t l = 0; l < 8; ++l) acc[l] += double(x[i + l]);
    }
    double tail = 0;
    for (; i < e; ++i) tail += double(x[i]);
    return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])) + tail;
  });
}

// y[o] = (Σ of x over the reduced runs at kept index o) / divisor.
template <class T>
void reduce_kernel(const T* x, T* y, const Plan& p, double divisor) {
  const std::size_t per_output = std::max<std::size_t>(1, count_of(p.reduced));
  if (p.innermost_reduced) {
    // The innermost reduced run is contiguous: sum it with contiguous_sum,
    // walking the other reduced runs around it.
    const std::size_t m = p.reduced.back().extent;
    const std::vector<Run> outer(p.reduced.begin(), p.reduced.end() - 1);
    parallel_for(0, count_of(p.kept), std::max<std::size_t>(1, kElementwiseGrain / per_output),
                 [&](std::size_t o0, std::size_t o1) {
                   for (std::size_t o = o0; o < o1; ++o) {
                     const T* base = x + offset_of(o, p.kept);
                     double acc = 0;
                     walk(outer, [&](std::size_t off) { acc += contiguous_sum(base + off, m); });
                     y[o] = T(acc / divisor);
                   }
                 });
    return;
  }
  // The innermost kept run is contiguous: accumulate rows of outputs, split
  // into blocks of at most kBlock columns so that wide rows also run in parallel.
  constexpr std::size_t kBlock = 256;
  const std::size_t c = p.kept.back().extent;
  const std::size_t blocks = (c + kBlock - 1) / kBlock;
  const std::vector<Run> outer(p.kept.begin(), p.kept.end() - 1);
  const std::size_t work = std::min(c, kBlock) * per_output;
  parallel_for(0, count_of(outer) * blocks, std::max<std::size_t>(1, kElementwiseGrain / work),
               [&](std::size_t t0, std::size_t t1) {
                 double acc[kBlock];
                 for (std::size_t t = t0; t < t1; ++t) {
                   const std::size_t r = t / blocks, j0 = (t % blocks) * kBlock;
                   const std::size_t w = std::min(kBlock, c - j0);
                   const T* base = x + offset_of(r, outer) + j0;
                   std::fill_n(acc, w, 0.0);
                   walk(p.reduced, [&](std::size_t off) {
                     for (std::size_t j = 0; j < w; ++j) acc[j] += base[off + j];
                   });
                   for (std::size_t j = 0; j < w; ++j) y[r * c + j0 + j] = T(acc[j] / divisor);
                 }
               });
}

// The shared op: sum (mean when `average`) of x over the masked axes.
Tensor reduce(const char* op, const Tensor& x, const std::vector<bool>& mask, bool keepdims,
              bool average) {
  const Shape& shape = x.shape();
  std::size_t count = 1;
  for (std::size_t d = 0; d < shape.size(); ++d) count *= mask[d] ? shape[d] : 1;
  const double divisor = average ? double(count) : 1.0;
  Array y = Array::empty(detail::reduced_shape(shape, mask, keepdims), x.dtype());
  if (x.size() == 0) {
    y.fill_(0.0 / divisor);  // sum of nothing is 0; mean of nothing is 0/0
  } else {
    const Plan plan = make_plan(shape, mask);
    dispatch(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      reduce_kernel(x.value().data<T>(), y.data<T>(), plan, divisor);
    });
  }
  const Shape kept = detail::reduced_shape(shape, mask, true);
  const std::vector<std::int64_t> kept_shape(kept.begin(), kept.end());
  return record(op, std::move(y), {x}, [kept_shape, divisor](const Node& out, const Tensor& dy) {
    // dx = dy with the reduced axes reinserted as 1, scaled (while it is
    // small), then expanded to x's shape.
    Tensor g = reshape(dy, kept_shape);
    if (divisor != 1) g = div(g, divisor);
    return Grads{broadcast_to(g, out.input_shape(0))};
  });
}

std::vector<bool> all_axes(const Tensor& x) { return std::vector<bool>(x.dim(), true); }
}  // namespace

Tensor sum(const Tensor& x) {
  check_float("sum", x);
  return reduce("sum", x, all_axes(x), false, false);
}

Tensor sum(const Tensor& x, const Axes& axes, bool keepdims) {
  check_float("sum", x);
  return reduce("sum", x, detail::axes_mask("sum", axes.values(), x.shape()), keepdims, false);
}

Tensor mean(const Tensor& x) {
  check_float("mean", x);
  return reduce("mean", x, all_axes(x), false, true);
}

Tensor mean(const Tensor& x, const Axes& axes, bool keepdims) {
  check_float("mean", x);
  return reduce("mean", x, detail::axes_mask("mean", axes.values(), x.shape()), keepdims, true);
}

}  // namespace xgrad
