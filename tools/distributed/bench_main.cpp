// xgrad-dist-bench: data-parallel benchmarks (bench.h). Run under mpirun:
//   mpirun -np 2 build/tools/xgrad-dist-bench --allreduce
//   mpirun -np 2 build/tools/xgrad-dist-bench --epoch --threads 1
//   build/tools/xgrad-dist-bench --epoch --plain --threads 2   (one process, no MPI)
// tools/distributed/bench runs every configuration and prints one table.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <optional>

#include "framework/parallel.h"
#include "models/distributed/launch.h"
#include "tools/distributed/bench.h"

int main(int argc, char** argv) {
  CLI::App app{"Data-parallel benchmarks: all-reduce sizes, the default CNN's epoch"};
  xgrad::dist_bench::Options o;
  bool allreduce = false, epoch = false;
  app.add_flag("--allreduce", allreduce, "All-reduce micro-benchmark, 4 KiB - 64 MiB");
  app.add_flag("--epoch", epoch, "The default CNN's epoch on Fashion-MNIST");
  app.add_flag("--plain", o.plain, "Epoch: the ordinary training loop (one process, no MPI)");
  app.add_option("--batches", o.batches, "Epoch: steps to time (default: the whole epoch)");
  app.add_option("--compare", o.compare, "Epoch: extra steps alternating overlap on and off")
      ->capture_default_str();
  app.add_option("--bucket-mb", o.bucket_mb, "Epoch: bucket size in MB")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 1024.0));
  app.add_option("--batch", o.batch, "Epoch: the global batch")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 16));
  app.add_option("--threads", o.threads, "Threads per rank")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  app.add_flag("--smoke", o.smoke, "A few steps and sizes: checks that it runs");
  CLI11_PARSE(app, argc, argv);
  if (allreduce == epoch) {
    std::fprintf(stderr, "xgrad-dist-bench: error: give one of --allreduce, --epoch\n");
    return 1;
  }
  xgrad::ThreadLimit limit(o.threads);
  if (epoch && o.plain) {
    try {
      xgrad::dist_bench::epoch_bench(nullptr, o);
      return 0;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "xgrad-dist-bench: error: %s\n", e.what());
      return 1;
    }
  }
  xgrad::MpiSession mpi(argc, argv);
  xgrad::Communicator world = mpi.world();
  return xgrad::run_rank(world, "xgrad-dist-bench", [&] {
    if (allreduce) xgrad::dist_bench::allreduce_bench(world, o);
    if (epoch) xgrad::dist_bench::epoch_bench(&world, o);
    return 0;
  });
}
