// parallel_for and deterministic reductions: the one place threads come from.
//
// Everything runs on oneTBB's pool; the number of threads is set by holding a
// ThreadLimit (a tbb::global_control), usually in a tool's main().
//
// Determinism: a body must write each output element from exactly one task,
// so results do not depend on how the range is split. Reductions go through
// `parallel_sum`, which splits [begin, end) into chunks of exactly `grain`
// elements and combines the partial results in a fixed tree
// (tbb::parallel_deterministic_reduce): the same bits for 1 thread or many.
// Below the grain everything runs serially on the calling thread (no task
// dispatch for tiny tensors).
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/partitioner.h>

#include <cstddef>
#include <memory>

namespace xgrad {

// Grains: work below them runs serially on the calling thread. A parallel_for
// costs about 5 us while the other thread is awake (up to 40 us when it must be
// woken, on the 2-core VM of tools/bench), so a task needs that much work; but
// a serial op after a parallel one also pays for moving the other thread's half
// of the data between caches (relu after a 2-thread conv: 12 us on 1 thread,
// 27 us serial on 2, 14 us split), so cheap elementwise work (add, relu,
// copies: about 0.1-0.2 ns per element) splits from 32K elements:
inline constexpr std::size_t kElementwiseGrain = 1 << 15;
// Work with a transcendental function or a random draw per element (exp, log,
// tanh, sigmoid, softmax, losses, Generator) costs 2-20 ns per element:
inline constexpr std::size_t kTranscendentalGrain = 1 << 12;

// body(b, e) for sub-ranges covering [begin, end); serial when the range is
// no larger than `grain`. The static partitioner gives each thread one
// contiguous share, the same share from one op to the next over the same
// size, so a thread mostly reads what it wrote in the previous op from its own
// cache (with the default partitioner, relu after conv ran slower on 2 threads
// than on 1); it also dispatches one task per thread.
template <class Body>
void parallel_for(std::size_t begin, std::size_t end, std::size_t grain, const Body& body) {
  if (end <= begin) return;
  if (grain == 0) grain = 1;
  if (end - begin <= grain) {
    body(begin, end);
    return;
  }
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(begin, end, grain),
      [&](const tbb::blocked_range<std::size_t>& r) { body(r.begin(), r.end()); },
      tbb::static_partitioner());
}

// Sum of body(b, e) over chunks of [begin, end) with a fixed split:
// bit-identical whatever the thread count. T is a number type.
template <class T, class Body>
T parallel_sum(std::size_t begin, std::size_t end, std::size_t grain, const Body& body) {
  if (end <= begin) return T(0);
  if (grain == 0) grain = 1;
  if (end - begin <= grain) return body(begin, end);
  return tbb::parallel_deterministic_reduce(
      tbb::blocked_range<std::size_t>(begin, end, grain), T(0),
      [&](const tbb::blocked_range<std::size_t>& r, T acc) {
        return acc + body(r.begin(), r.end());
      },
      [](T a, T b) { return a + b; }, tbb::simple_partitioner());
}

// Limits the threads xgrad (and TBB) may use while the object lives.
class ThreadLimit {
 public:
  explicit ThreadLimit(std::size_t threads);
  ~ThreadLimit();
  ThreadLimit(const ThreadLimit&) = delete;
  ThreadLimit& operator=(const ThreadLimit&) = delete;

 private:
  std::unique_ptr<tbb::global_control> control_;
};

// Threads TBB will currently use.
std::size_t max_threads();

}  // namespace xgrad
