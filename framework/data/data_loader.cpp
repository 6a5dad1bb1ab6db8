#include "framework/data/data_loader.h"

#include <algorithm>
#include <cstring>

#include "framework/generator.h"
#include "framework/parallel.h"

namespace xgrad {

DataLoader::DataLoader(const Dataset& data, std::size_t batch_size, bool shuffle,
                       std::uint64_t seed, bool drop_last)
    : data_(&data), batch_size_(batch_size), shuffle_(shuffle), seed_(seed), drop_last_(drop_last) {
  data.check("DataLoader");
  if (batch_size == 0) throw ValueError("DataLoader: batch_size must be at least 1");
}

std::size_t DataLoader::batch_count() const {
  std::size_t n = data_->size();
  return drop_last_ ? n / batch_size_ : (n + batch_size_ - 1) / batch_size_;
}

std::vector<std::size_t> DataLoader::order(std::size_t k) const {
  std::size_t n = data_->size();
  if (!shuffle_) {
    std::vector<std::size_t> identity(n);
    for (std::size_t i = 0; i < n; ++i) identity[i] = i;
    return identity;
  }
  // Note [Epoch order]: the counters epoch k's permutation uses are
  // [k * n, (k + 1) * n), as if epochs 0..k-1 had drawn theirs first.
  Generator gen(seed_);
  gen.set_state(seed_, std::uint64_t(k) * n);
  return gen.permutation(n);
}

DataLoader::Epoch DataLoader::epoch(std::size_t k) const { return Epoch(this, order(k)); }

Batch DataLoader::gather(const std::vector<std::size_t>& indices) const {
  const Dataset& d = *data_;
  std::size_t n = d.size(), b = indices.size();
  for (std::size_t i : indices) {
    if (i >= n) {
      throw ValueError("DataLoader: sample index " + std::to_string(i) +
                       " is outside a dataset of " + std::to_string(n) + " samples");
    }
  }
  Shape xs = d.x.shape();
  std::size_t row = xs[0] == 0 ? 0 : d.x.size() / xs[0];
  xs[0] = b;
  Array x = Array::empty(xs, d.x.dtype());
  Array y = Array::empty({b}, d.y.dtype());
  if (b == 0) return Batch{Tensor(std::move(x)), Tensor(std::move(y)), indices};
  std::size_t grain = std::max<std::size_t>(1, kElementwiseGrain / std::max<std::size_t>(row, 1));
  dispatch(d.x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* sx = d.x.data<T>();
    T* dx = x.data<T>();
    parallel_for(0, b, grain, [&](std::size_t lo, std::size_t hi) {
      for (std::size_t r = lo; r < hi; ++r) {
        if (row > 0) std::memcpy(dx + r * row, sx + indices[r] * row, row * sizeof(T));
      }
    });
  });
  dispatch_any(d.y.dtype(), [&](auto tag) {  // int64 labels, or x's dtype
    using T = decltype(tag);
    const T* sy = d.y.data<T>();
    T* dy = y.data<T>();
    for (std::size_t r = 0; r < b; ++r) dy[r] = sy[indices[r]];
  });
  return Batch{Tensor(std::move(x)), Tensor(std::move(y)), indices};
}

Batch DataLoader::Epoch::batch(std::size_t i) const {
  std::size_t bs = loader_->batch_size();
  if (i >= size()) {
    throw ValueError("DataLoader: batch " + std::to_string(i) + " of an epoch of " +
                     std::to_string(size()) + " batches");
  }
  std::size_t begin = i * bs, end = std::min(begin + bs, order_.size());
  return loader_->gather(std::vector<std::size_t>(order_.begin() + begin, order_.begin() + end));
}

}  // namespace xgrad
