#include "framework/parallel.h"

#include "framework/error.h"

namespace xgrad {

ThreadLimit::ThreadLimit(std::size_t threads) {
  if (threads == 0) throw ValueError("ThreadLimit: thread count must be at least 1");
  control_ =
      std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, threads);
}

ThreadLimit::~ThreadLimit() = default;

std::size_t max_threads() {
  return tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
}

}  // namespace xgrad
