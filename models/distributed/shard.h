// Shards: which rows of a global batch each rank trains on.
//
// Data parallelism splits every global batch of B rows (in the DataLoader's
// order for the epoch) into one contiguous shard per rank, in rank order:
// rank r takes B / N rows, plus one if r < B % N. The shards are disjoint
// and together are the batch, so N ranks see exactly the examples one
// process with batch B sees, uneven last batches included; rank 0 always
// has a row of a non-empty batch, and a rank whose shard is empty (B < N)
// still takes part in the step's collectives.
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <vector>

namespace xgrad {

struct Shard {
  std::size_t begin = 0, end = 0;  // rows [begin, end) of the global batch
  std::size_t size() const { return end - begin; }
  bool empty() const { return begin == end; }
};

// REQUIRES: 0 <= rank < ranks (ValueError otherwise).
Shard shard_of(std::size_t batch, int rank, int ranks);

// Rows [i·B, min((i+1)·B, n)) of an epoch's order: global batch i.
// REQUIRES: i·B < order.size() (ValueError otherwise).
std::vector<std::size_t> global_batch(const std::vector<std::size_t>& order, std::size_t i,
                                      std::size_t batch_size);

// The shard's part of a global batch's rows.
std::vector<std::size_t> rows_of(const std::vector<std::size_t>& batch, const Shard& shard);

}  // namespace xgrad
