// xgrad-dist-bench: what data parallelism costs and hides on this machine.
//   allreduce: MPI_Allreduce and MPI_Iallreduce + MPI_Wait over 4 KiB - 64 MiB
//   epoch:     the default CNN's epoch, plain or data-parallel, with the
//              all-reduce time per step and how much of it overlap hides
// Each prints a table for people and RESULT lines for tools/distributed/bench.
#pragma once

#include <cstddef>

#include "models/distributed/communicator.h"

namespace xgrad::dist_bench {

struct Options {
  bool smoke = false;         // a few steps / small sizes: checks that it runs
  bool plain = false;         // epoch: the ordinary loop, no DataParallel (1 rank)
  std::size_t batches = 0;    // epoch: steps to time (0: the whole epoch)
  std::size_t compare = 240;  // epoch: extra steps alternating overlap on/off
  double bucket_mb = 0.25;    // epoch: bucket size
  std::size_t threads = 1;
  std::size_t batch = 64;  // epoch: the global batch
};

void allreduce_bench(const Communicator& world, const Options& options);
void epoch_bench(const Communicator* world, const Options& options);

}  // namespace xgrad::dist_bench
