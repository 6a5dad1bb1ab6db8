// TrainJob: what xgrad-train runs, as one library call that tests reach.
//
//   TrainJob job;
//   job.model.kind = "mlp";
//   job.data = "csv:blobs.csv";
//   job.options.out_dir = "runs/blobs";
//   run_job(job, stdout);
//
// run_job loads the data (models/train/data_source.h), standardises it with
// the training set's statistics (one mean and standard deviation over all
// pixels for images, per feature otherwise; saved as "norm/..." in the
// checkpoints), builds the model and optimiser from their tables, resumes
// from `resume` when given, trains up to options.epochs and prints, to
// `out`: the data, model and optimiser (unless quiet), the epochs' table,
// and either which files it wrote or that there was nothing to train.
// Errors are the library's (ValueError, FileError), one line each.
// Thread safety: none (one job at a time; threads from parallel_for).
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/train/builders.h"
#include "models/train/data_source.h"
#include "models/train/parallel_training.h"
#include "models/train/trainer.h"

namespace xgrad {

struct TrainJob {
  ModelSpec model;  // inputs and classes are set from the data
  OptimizerSpec optimizer;
  std::string data = "fashion-mnist";  // a load_data source
  TrainOptions options;                // options.progress is set from quiet
  LrScheduleSpec schedule;             // per-step learning rates (builders.h)
  std::string resume;                  // a checkpoint to continue from; empty: none
  bool quiet = false;                  // only the final table
  bool diagnose = false;               // print Diagnostics after each epoch (diagnostics.h)
  std::string trace_optimizer;         // "NAME[INDEX]": print that element's optimiser steps
  // Trains with other processes: called with the model and the loaded data,
  // returns this process's group (models/distributed/); unset: alone. Only
  // the group's writer prints, reads `resume` and writes files.
  std::function<std::unique_ptr<ParallelTraining>(Module& model, const DataSplits& data)> parallel;
};

// Returns the metrics of every epoch (resumed ones included).
std::vector<EpochMetrics> run_job(const TrainJob& job, std::FILE* out = stdout);

}  // namespace xgrad
