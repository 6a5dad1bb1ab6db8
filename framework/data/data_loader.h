// DataLoader: mini-batches of a Dataset, in a seeded order per epoch.
//
//   DataLoader loader(train, 64, /*shuffle=*/true, /*seed=*/42);
//   for (std::size_t epoch = start; epoch < epochs; ++epoch)
//     for (const Batch& b : loader.epoch(epoch)) { ... b.x, b.y ... }
//
// Note [Epoch order]: epoch k's order is the permutation drawn by a
// Generator(seed) whose counter starts at k * N (N samples), i.e. exactly
// what one generator drawing one permutation per epoch from epoch 0 would
// give. It depends on (seed, k) alone, so a run resumed at epoch k from a
// checkpoint sees the same batches as an uninterrupted run; nothing about
// the loader needs to be saved besides the seed. Without shuffle the order
// is 0..N-1.
// A batch holds copies of its samples (gathered in parallel, one task per
// row range: identical for any thread count) as leaf tensors that do not
// require grad; y holds the labels in the dataset's label dtype (int64, or
// x's dtype), as the losses take them.
// Ownership: the loader refers to the dataset, which must outlive it.
// Thread safety: const members may be called concurrently.
#pragma once

#include <cstdint>
#include <vector>

#include "framework/data/dataset.h"
#include "framework/tensor.h"

namespace xgrad {

struct Batch {
  Tensor x;                          // (B, ...) samples
  Tensor y;                          // (B) labels or targets: int64, or x's dtype
  std::vector<std::size_t> indices;  // the samples' rows in the dataset
};

class DataLoader {
 public:
  // REQUIRES: batch_size >= 1; `data` outlives the loader.
  DataLoader(const Dataset& data, std::size_t batch_size, bool shuffle = true,
             std::uint64_t seed = 0, bool drop_last = false);
  // A temporary dataset would dangle.
  DataLoader(Dataset&&, std::size_t, bool = true, std::uint64_t = 0, bool = false) = delete;

  class Epoch;

  // The batches of epoch k, in its order (see Note [Epoch order]).
  Epoch epoch(std::size_t k) const;
  // Sample indices of epoch k in the order they are served.
  std::vector<std::size_t> order(std::size_t k) const;
  // The samples at `indices`, in that order.
  Batch gather(const std::vector<std::size_t>& indices) const;

  // Batches per epoch (the last one partial unless drop_last).
  std::size_t batch_count() const;
  std::size_t batch_size() const { return batch_size_; }
  std::uint64_t seed() const { return seed_; }
  const Dataset& dataset() const { return *data_; }

 private:
  const Dataset* data_;
  std::size_t batch_size_;
  bool shuffle_;
  std::uint64_t seed_;
  bool drop_last_;
};

// One epoch's batches; iterating gathers each batch on dereference.
class DataLoader::Epoch {
 public:
  class Iterator {
   public:
    Iterator(const Epoch* epoch, std::size_t i) : epoch_(epoch), i_(i) {}
    Batch operator*() const { return epoch_->batch(i_); }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator!=(const Iterator& other) const { return i_ != other.i_; }
    bool operator==(const Iterator& other) const { return i_ == other.i_; }

   private:
    const Epoch* epoch_;
    std::size_t i_;
  };

  Epoch(const DataLoader* loader, std::vector<std::size_t> order)
      : loader_(loader), order_(std::move(order)) {}

  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, size()); }
  std::size_t size() const { return loader_->batch_count(); }
  // Batch i of this epoch; REQUIRES i < size().
  Batch batch(std::size_t i) const;

 private:
  const DataLoader* loader_;
  std::vector<std::size_t> order_;
};

}  // namespace xgrad
