#include "models/distributed/shard.h"

#include <algorithm>
#include <string>

#include "framework/error.h"

namespace xgrad {

Shard shard_of(std::size_t batch, int rank, int ranks) {
  if (ranks < 1 || rank < 0 || rank >= ranks) {
    throw ValueError("shard_of: rank must be in [0, " + std::to_string(ranks) + "), got " +
                     std::to_string(rank));
  }
  const std::size_t n = std::size_t(ranks), r = std::size_t(rank);
  const std::size_t base = batch / n, extra = batch % n;
  Shard s;
  s.begin = r * base + std::min(r, extra);
  s.end = s.begin + base + (r < extra ? 1 : 0);
  return s;
}

std::vector<std::size_t> global_batch(const std::vector<std::size_t>& order, std::size_t i,
                                      std::size_t batch_size) {
  if (batch_size == 0 || i * batch_size >= order.size()) {
    throw ValueError("global_batch: batch " + std::to_string(i) + " of size " +
                     std::to_string(batch_size) + " is past the " + std::to_string(order.size()) +
                     " samples of the epoch");
  }
  const std::size_t begin = i * batch_size;
  const std::size_t end = std::min(order.size(), begin + batch_size);
  return std::vector<std::size_t>(order.begin() + long(begin), order.begin() + long(end));
}

std::vector<std::size_t> rows_of(const std::vector<std::size_t>& batch, const Shard& shard) {
  const std::size_t end = std::min(shard.end, batch.size());
  const std::size_t begin = std::min(shard.begin, end);
  return std::vector<std::size_t>(batch.begin() + long(begin), batch.begin() + long(end));
}

}  // namespace xgrad
