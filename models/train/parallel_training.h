// ParallelTraining: what the Trainer asks of a group of processes that
// train one model together. Without one (TrainOptions::parallel null) the
// Trainer trains alone; models/distributed/ implements it over MPI (data
// parallelism), and the Trainer knows nothing of MPI.
//
// Per step the Trainer calls begin_step() with the global batch's rows (the
// DataLoader's order, the same in every process) and trains on the rows it
// returns, through forward(); after backward, end_step() leaves every
// process with the global batch's mean gradient, and each applies the same
// optimiser step. Sums (losses, counts) are combined with sum(); every
// process calls each method the same number of times, in the same order.
// One process, the writer, prints progress and writes files.
// Ownership: the Trainer refers to it (TrainOptions::parallel); it must
// outlive the Trainer. Thread safety: the training thread only.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "framework/tensor.h"
#include "models/module.h"
#include "models/optim/optimizer.h"

namespace xgrad {

struct EpochMetrics;

class ParallelTraining {
 public:
  virtual ~ParallelTraining() = default;

  // Whether this process prints progress and writes files (exactly one does).
  virtual bool is_writer() const = 0;
  // One line for the run's description, e.g. "data-parallel: 2 ranks, ...".
  virtual std::string describe() const = 0;
  // Makes every process's parameters, buffers, optimiser state and history
  // the writer's: called when fit() starts, so only the writer needs to have
  // read a checkpoint to resume.
  virtual void synchronize(Module& model, Optimizer& optimizer,
                           std::vector<EpochMetrics>& history) = 0;
  // Starts a step over a global batch; returns the rows this process trains
  // on (possibly none: it still calls end_step()).
  virtual std::vector<std::size_t> begin_step(const std::vector<std::size_t>& rows) = 0;
  // The model's forward pass on this process's rows of the step.
  virtual Tensor forward(Module& model, const Tensor& x) = 0;
  // After backward: the gradients are the global batch's mean.
  virtual void end_step() = 0;
  // Element-wise sums over the processes, in place.
  virtual void sum(std::vector<double>& values) = 0;
  // The rows [begin, end) of an n-row data set this process evaluates.
  virtual std::pair<std::size_t, std::size_t> share(std::size_t n) const = 0;
  // After each epoch: throws unless every process holds the same model and
  // optimiser state.
  virtual void check(const Module& model, const Optimizer& optimizer) = 0;
};

}  // namespace xgrad
