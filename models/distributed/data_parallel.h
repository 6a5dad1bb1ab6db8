// DataParallel: one replica of a model per rank, trained as one process
// would train it on each whole global batch.
//
//   DataParallel dp(world, model);     // rank 0's parameters and buffers on every rank
//   for each global batch `rows` (the DataLoader's order, the same on every rank):
//     optimizer.zero_grad();
//     Shard s = dp.begin_step(rows.size());
//     if (!s.empty()) {
//       Batch b = loader.gather(rows_of(rows, s));
//       Tensor loss = softmax_cross_entropy(dp.forward(b.x), b.y);  // mean over the shard
//       loss.backward();               // buckets all-reduced as their gradients become final
//     }
//     dp.end_step();                   // gradients: the global batch's mean, on every rank
//     optimizer.step();                // the same update on every rank
//
// Every rank holds the whole model; begin_step() assigns this rank its
// shard (shard.h) and arms the GradientReducer with the weight
// shard/batch; end_step() waits for the reduced gradients. Ranks whose
// shard is empty skip forward and backward but still call both. The replicas
// stay bit-identical: they start from rank 0's state, and every rank applies
// the same update to the same bits (Note [Deterministic sums] in
// gradient_reducer.h); check_replicas() verifies it.
//
// Note [Dropout across ranks]: a Dropout layer draws element i of its mask
// at position (offset + i) of its counter-based stream, and one process
// draws a (B, D) batch's mask row by row. So rank r, whose shard starts at
// row s of the global batch, places each layer's stream at offset + s·D
// before its forward pass, and after the step every rank moves it to
// offset + B·D: the masks are the rows one process would draw (N ranks equal
// one process with dropout too), ranks never share masks, and the layers'
// buffers stay identical on every rank (so rank 0's checkpoint is every
// rank's state). D, a layer's draws per row, is learned on the first step
// by a forward pass of one row without gradient, then agreed over the ranks.
// A layer whose draws do not grow by D per row is a ValueError.
// Ownership: refers to the model (which must outlive it); owns a duplicate
// of the communicator. Thread safety: the training thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "models/distributed/communicator.h"
#include "models/distributed/gradient_reducer.h"
#include "models/distributed/shard.h"
#include "models/module.h"
#include "models/optim/optimizer.h"

namespace xgrad {

class Dropout;

class DataParallel {
 public:
  // Broadcasts rank 0's parameters and buffers (broadcast_state()).
  // REQUIRES: every rank builds the same model (a rank whose parameters'
  // names or shapes differ fails in load_state_dict, naming the entry).
  DataParallel(const Communicator& comm, Module& model, ReducerOptions options = {});

  // Rank 0's parameters, buffers and (unless null) optimiser state replace
  // every other rank's: at the start, and after rank 0 resumed from a
  // checkpoint.
  void broadcast_state(Optimizer* optimizer = nullptr);
  // CollectiveError naming the ranks whose parameters, buffers or (unless
  // null) optimiser state differ in any bit from rank 0's.
  void check_replicas(const Optimizer* optimizer = nullptr) const;

  // Starts a step over a global batch of `batch` rows; returns this rank's
  // rows of it. REQUIRES: batch >= 1; the previous step ended.
  Shard begin_step(std::size_t batch);
  // The model on this rank's shard `x` (its rows in order), with dropout
  // masks placed as Note [Dropout across ranks] says. Once per step.
  Tensor forward(const Tensor& x);
  // Waits for the reduced gradients and advances dropout streams past the
  // global batch. REQUIRES: begin_step() was called.
  void end_step();

  const Communicator& comm() const { return comm_; }
  const GradientReducer& reducer() const { return *reducer_; }
  GradientReducer& reducer() { return *reducer_; }

 private:
  struct Stream {
    Dropout* layer;
    std::uint64_t start = 0;    // stream offset when the step began
    std::int64_t per_row = -1;  // draws per row of the batch; -1: not known yet
  };
  void learn_draws_per_row(const Tensor& x);

  Communicator comm_;
  Module& model_;
  std::unique_ptr<GradientReducer> reducer_;
  std::vector<Stream> streams_;
  std::size_t batch_ = 0;
  Shard shard_;
  bool in_step_ = false, forward_done_ = false;
  bool agreed_ = false;  // the ranks agreed on every stream's per_row
};

}  // namespace xgrad
