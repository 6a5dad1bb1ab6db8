// All-reduce micro-benchmark: float32 sums of 4 KiB to 64 MiB (and 8 bytes,
// the latency floor), blocking MPI_Allreduce and MPI_Iallreduce + MPI_Wait
// (what GradientReducer issues). Per size: 3 trials of k calls between
// barriers, k chosen for about 0.1 s per trial; the fastest trial's mean per
// call, the slowest rank's. algbw = bytes / time; busbw = algbw · 2(N-1)/N,
// the bandwidth each rank's link carries in a ring all-reduce (NCCL's
// definition), comparable across N.
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "tools/distributed/bench.h"

namespace xgrad::dist_bench {

namespace {
double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Seconds per call of `call`, the slowest rank's, best of 3 trials.
template <class F>
double time_per_call(const Communicator& world, long k, F call) {
  double best = 1e30;
  for (int trial = 0; trial < 3; ++trial) {
    world.barrier();
    const double t0 = now();
    for (long i = 0; i < k; ++i) call();
    std::vector<std::int64_t> ns{std::int64_t((now() - t0) * 1e9)};
    world.allreduce_max(ns);  // the slowest rank's time
    best = std::min(best, double(ns[0]) * 1e-9 / double(k));
  }
  return best;
}
}  // namespace

void allreduce_bench(const Communicator& world, const Options& options) {
  std::vector<std::size_t> sizes{8};
  for (std::size_t b = 4096; b <= (std::size_t(64) << 20); b *= 4) sizes.push_back(b);
  if (options.smoke) sizes = {8, 4096, 65536};
  const int n = world.size();
  if (world.rank() == 0) {
    std::printf("all-reduce of float32 sums, %d ranks (Open MPI, %s)\n", n,
                "one host, shared memory");
    std::printf("%10s  %12s  %12s  %10s  %10s\n", "bytes", "blocking us", "nonblock us",
                "algbw GB/s", "busbw GB/s");
  }
  for (std::size_t bytes : sizes) {
    const std::size_t count = std::max<std::size_t>(1, bytes / 4);
    std::vector<float> send(count, 1.0f), recv(count);
    // A first call to size the trials: about 0.1 s each.
    const double once = time_per_call(world, 1, [&] {
      MPI_Allreduce(send.data(), recv.data(), int(count), MPI_FLOAT, MPI_SUM, world.handle());
    });
    const long k = options.smoke ? 2 : std::clamp(long(0.1 / std::max(once, 1e-7)), 3L, 20000L);
    const double blocking = time_per_call(world, k, [&] {
      MPI_Allreduce(send.data(), recv.data(), int(count), MPI_FLOAT, MPI_SUM, world.handle());
    });
    const double nonblocking = time_per_call(world, k, [&] {
      MPI_Request r;
      MPI_Iallreduce(send.data(), recv.data(), int(count), MPI_FLOAT, MPI_SUM, world.handle(), &r);
      MPI_Wait(&r, MPI_STATUS_IGNORE);
    });
    const double algbw = double(count * 4) / nonblocking / 1e9;
    const double busbw = algbw * 2.0 * (n - 1) / n;
    if (world.rank() == 0) {
      std::printf("%10zu  %12.1f  %12.1f  %10.2f  %10.2f\n", count * 4, blocking * 1e6,
                  nonblocking * 1e6, algbw, busbw);
      std::printf(
          "RESULT allreduce ranks=%d bytes=%zu blocking_us=%.2f nonblocking_us=%.2f "
          "algbw_gbs=%.3f busbw_gbs=%.3f\n",
          n, count * 4, blocking * 1e6, nonblocking * 1e6, algbw, busbw);
    }
  }
}

}  // namespace xgrad::dist_bench
