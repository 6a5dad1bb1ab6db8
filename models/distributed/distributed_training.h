// DistributedTraining: the Trainer's ParallelTraining over MPI, i.e. data
// parallelism for xgrad-train (and any program that uses the Trainer).
//
//   int main(int argc, char** argv) {          // started by mpirun -np N
//     TrainJob job = ...;                       // models/train/train_job.h
//     return run_distributed_job(job, "my-trainer", {}, argc, argv);
//   }
//
// or, by hand: DistributedTraining group(world, model); options.parallel =
// &group; the writer alone calls trainer.resume(path); trainer.fit().
// Rank 0 is the writer (progress bar, metrics.csv, plots, checkpoints, all
// written atomically); Trainer::fit() calls synchronize(), which broadcasts
// rank 0's parameters, buffers, optimiser state and history, so a run
// resumed from rank 0's checkpoint continues with any number of ranks.
// Steps go through DataParallel (data_parallel.h); test sets are split into
// contiguous shares, one per rank, their losses and counts summed. After
// every epoch check() compares fingerprints of every rank's model and
// optimiser state with rank 0's (CollectiveError naming the ranks).
// Testing fault handling: with XGRAD_FAIL_AT=R:S in the environment, rank R
// throws at its S-th step (counted from 1 over the whole run).
// Ownership: refers to the model; owns its DataParallel (and through it a
// duplicate of the communicator). Thread safety: the training thread only.
#pragma once

#include <string>
#include <vector>

#include "models/distributed/data_parallel.h"
#include "models/train/parallel_training.h"
#include "models/train/train_job.h"

namespace xgrad {

class DistributedTraining : public ParallelTraining {
 public:
  DistributedTraining(const Communicator& comm, Module& model, ReducerOptions options = {});

  bool is_writer() const override { return dp_.comm().rank() == 0; }
  std::string describe() const override;
  void synchronize(Module& model, Optimizer& optimizer,
                   std::vector<EpochMetrics>& history) override;
  std::vector<std::size_t> begin_step(const std::vector<std::size_t>& rows) override;
  Tensor forward(Module& model, const Tensor& x) override;
  void end_step() override { dp_.end_step(); }
  void sum(std::vector<double>& values) override { dp_.comm().allreduce_sum(values); }
  std::pair<std::size_t, std::size_t> share(std::size_t n) const override;
  void check(const Module& model, const Optimizer& optimizer) override;

  const DataParallel& data_parallel() const { return dp_; }

 private:
  void require_model(const Module& model, const char* what) const;

  Module& model_;
  DataParallel dp_;
  std::size_t steps_ = 0;
  std::size_t fail_step_ = 0;  // XGRAD_FAIL_AT's step on this rank; 0: none
};

// CollectiveError naming the ranks whose training or test set differs from
// rank 0's (every rank must load the same data: a different or corrupt copy
// on one host would silently train a different model).
void check_same_data(const Communicator& comm, const DataSplits& data);

// Runs `job` as one rank of an MPI job: MPI is initialised here; rank 0
// prints and writes; every rank stops when one fails (run_rank, launch.h).
// threads 0 shares this host's cores among its ranks. Returns the exit
// code: 0, or 1 after an error every rank reached alike.
int run_distributed_job(TrainJob job, const std::string& program, std::size_t threads,
                        ReducerOptions reducer, int& argc, char**& argv);

}  // namespace xgrad
