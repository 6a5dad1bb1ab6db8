// Trainer: the training loop behind xgrad-train, as a library piece that
// tests can reach.
//
//   Trainer trainer(model, optimizer, train_set, test_set, options);
//   if (!resume_path.empty()) trainer.resume(resume_path);
//   std::vector<EpochMetrics> history = trainer.fit();
//
// Each epoch: the model in train mode walks the DataLoader's seeded order
// for that epoch (mini-batches, softmax cross-entropy from the model's
// logits, mean over the batch), one optimiser step per batch; then the
// model in eval mode is scored on the test set. With an output directory
// it writes, after every epoch and atomically: metrics.csv, training.svg
// (loss of every step and per-epoch test points, accuracy, the learning rate
// when it changes: svg_plot.h), checkpoint_epoch<N>.npz and checkpoint.npz
// (the latest). TrainOptions::observers watch the loop from inside
// (Diagnostics, OptimizerTrace).
// Nothing silent: a non-finite loss or gradient stops training with a
// ValueError naming the epoch, the step and the parameter; an epoch whose
// parameters or optimiser state end non-finite writes nothing, so the files
// on disk stay those of the last good epoch (the model in memory holds the
// failed step's values).
// A checkpoint records the run's description besides its numbers:
// "meta/model" (Module::describe(), the whole tree) and "meta/optimizer"
// (the optimiser's name and hyperparameters other than lr, e.g.
// "SGD(momentum=0.9, nesterov)"), as text: float64 arrays of UTF-8 bytes
// (NumPy: bytes(a.astype("uint8")).decode()). resume() refuses a
// checkpoint of another model or optimiser, naming both, one whose weights
// or optimiser state are not finite, and a meta/history that is not the
// 1, 2, ..., N epochs with losses, accuracies and times in range.
// Note [Bit-exact resume]: everything that decides the next epoch is a
// function of what a checkpoint holds: the parameters and buffers (dropout
// generators included), the optimiser state, the epoch number (the data
// order is a pure function of the seed and the epoch, a scheduler's
// learning rate one of the optimiser's step count). So training 2 epochs
// and resuming for a 3rd gives the same bits as 3 epochs straight.
// With TrainOptions::parallel (models/train/parallel_training.h) several
// processes train one model: each trains on its share of every global batch
// and scores its share of the test set, and only the group's writer prints
// and writes files; the results equal one process's training up to float
// rounding.
// Thread safety: none.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "framework/data/dataset.h"
#include "models/module.h"
#include "models/optim/lr_schedule.h"
#include "models/optim/optimizer.h"
#include "models/train/parallel_training.h"

namespace xgrad {

class TrainObserver;

struct TrainOptions {
  std::size_t epochs = 5;
  std::size_t batch_size = 64;
  std::uint64_t seed = 0;   // of the data order
  std::string out_dir;      // empty: write no files
  bool progress = true;     // per-epoch progress bar or lines
  std::FILE* log = stdout;  // where progress and epoch lines go
  // Stepped after every optimiser step; resume() sets its count to the
  // optimiser's step count. None: the optimiser's lr throughout.
  LRScheduler* scheduler = nullptr;
  NamedArrays checkpoint_extra;  // saved in every checkpoint (e.g. "norm/mean")
  // Train together with other processes (data parallelism over MPI,
  // models/distributed/); null: alone. Only its writer prints and writes files.
  ParallelTraining* parallel = nullptr;
  std::vector<TrainObserver*> observers;  // diagnostics, traces (must outlive fit())
};

// Watches the training loop from inside (diagnostics, optimiser traces);
// every call has a default that does nothing.
class TrainObserver {
 public:
  virtual ~TrainObserver() = default;
  // The step's loss, its graph still intact (before backward).
  virtual void after_forward(const Tensor& /*loss*/) {}
  // The gradients are in; the optimiser has not stepped yet.
  virtual void before_step(const Optimizer& /*optimizer*/) {}
  virtual void after_step(const Optimizer& /*optimizer*/) {}
  // After the epoch's line is printed (1-based epoch); `log` may be null.
  virtual void end_epoch(std::size_t /*epoch*/, std::FILE* /*log*/) {}
};

struct EpochMetrics {
  std::size_t epoch = 0;  // 1-based
  double train_loss = 0, train_accuracy = 0;
  double test_loss = 0, test_accuracy = 0;  // NaN without a test set
  double seconds = 0;                       // training time of the epoch
};

struct Evaluation {
  double loss = 0;      // mean softmax cross-entropy
  double accuracy = 0;  // fraction of argmax predictions equal to the label
};

// Scores `model` in eval mode, without recording a graph; restores the
// previous train/eval mode.
Evaluation evaluate(Module& model, const Dataset& data, std::size_t batch_size = 256);

// Rows of `logits` (N, K) whose argmax equals `labels` (N).
std::size_t count_correct(const Array& logits, const Array& labels);

class Trainer {
 public:
  // The model, optimiser and data sets must outlive the trainer.
  Trainer(Module& model, Optimizer& optimizer, const Dataset& train, const Dataset& test,
          TrainOptions options);

  // Continues from a checkpoint this trainer (or xgrad-train) wrote.
  // FileError naming the file and the entry when it does not fit (see the
  // header comment); nothing changes unless it does.
  void resume(const std::string& checkpoint_path);
  // Trains up to options.epochs; returns the metrics of every epoch so far
  // (resumed ones included). Writes files only for the epochs it trains.
  std::vector<EpochMetrics> fit();

  std::size_t epochs_done() const { return history_.size(); }
  // Epochs the last fit() trained (0 when the run already had options.epochs).
  std::size_t epochs_trained() const { return epochs_trained_; }
  const std::vector<EpochMetrics>& history() const { return history_; }

 private:
  EpochMetrics train_epoch(std::size_t epoch);
  // The test set's score; with a group, each process scores its share.
  Evaluation evaluate_test();
  void write_outputs() const;
  // ValueError unless every parameter, buffer and optimiser state is finite.
  void check_finite(std::size_t epoch) const;

  Module& model_;
  Optimizer& optimizer_;
  const Dataset& train_;
  const Dataset& test_;
  TrainOptions options_;
  std::vector<EpochMetrics> history_;
  std::size_t epochs_trained_ = 0;
  // Each step this process trained: position in epochs, loss, lr (training.svg).
  std::vector<double> step_x_, step_loss_, step_lr_;
};

// The optimiser's description as a checkpoint records it: its name and the
// hyperparameters other than lr (which a schedule changes), e.g.
// "Adam(betas=(0.9, 0.999), eps=1e-08, weight_decay=0)", and with more than
// one parameter group their sizes and weight decays.
std::string optimizer_signature(const Optimizer& optimizer);

// metrics.csv: a header line and one line per epoch.
std::string metrics_csv(const std::vector<EpochMetrics>& history);

}  // namespace xgrad
