// GradientReducer: averages parameters' gradients over the ranks of a
// Communicator, overlapping the all-reduce with the backward pass.
//
//   GradientReducer reducer(comm, model.parameters(), {.bucket_bytes = 1 << 20});
//   reducer.prepare(double(shard.size()) / double(batch));  // this rank's share
//   loss.backward();   // each bucket's MPI_Iallreduce starts once its gradients are final
//   reducer.finish();  // waits; every rank now holds the same gradients
//   optimizer.step();
//
// Buckets: parameters are packed, in reverse creation order (the order
// backward produces their gradients), into buckets of at most bucket_bytes
// (a parameter larger than that gets a bucket of its own), one dtype per
// bucket. Each parameter's post-accumulate-grad hook (Tensor::
// register_post_accumulate_grad_hook: its gradient is final for this pass)
// copies its gradient, scaled by the rank's weight, into its bucket; when a
// bucket is full it starts, and buckets start strictly in order (every rank
// must issue MPI's collectives in the same order). Each hook also lets MPI
// progress the buckets in flight (Open MPI moves a non-blocking collective
// along only inside MPI calls). finish() packs what no hook delivered (a
// parameter that got no gradient this pass packs zeros), starts the
// remaining buckets, waits for all, and writes the sums into the gradients.
// Weights: with weight = (rows of this rank) / (rows of the global batch)
// and a loss that is the mean over the rank's rows, the sum over ranks is
// the gradient of the mean over the global batch, uneven shards included.
// Unused parameters: each bucket carries one flag per parameter (1 if this
// rank had a gradient); a parameter that no rank had a gradient for is left
// without one (the optimiser skips it, as one process would); one that some
// rank had gets the sum.
// One backward per prepare()/finish(): a hook that fires again after its
// bucket started is a GraphError. Gradient accumulation over micro-batches:
// run the earlier backward passes before prepare(); the last one's hooks
// then send the accumulated gradients.
//
// Note [Deterministic sums]: float addition is not associative, so an
// all-reduce's result depends on the order it adds the ranks' values. Open
// MPI (4.1) runs MPI_Iallreduce in coll/libnbc, which builds a fixed
// schedule from (rank, communicator size, message size) alone: a binomial
// tree to rank 0 and a broadcast back for fewer than 4 ranks or under
// 64 KiB, else reduce-scatter then allgather; it adds a received piece when
// its round completes, in schedule order, never in arrival order. Each
// element is summed once, on one rank, in an order fixed by N and the
// bucket's size, and sent to the others: all ranks get the same bits, and
// two runs with the same N and bucket size get the same bits (tested).
// Gathering to rank 0 and summing in rank order would be deterministic on
// any MPI but sends N times the bytes through one rank; pinning an
// algorithm with MCA parameters is unnecessary while the default choice is
// a pure function of (N, size). A collective component whose sums depend on
// timing (hardware offload) would break this: DataParallel::check_replicas
// reports such a divergence instead of letting ranks drift apart silently.
// Ownership: keeps handles on the parameters (sharing their nodes) and
// removes its hooks when destroyed. Thread safety: the training thread only.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "framework/tensor.h"
#include "models/distributed/communicator.h"
#include "models/module.h"

namespace xgrad {

struct ReducerOptions {
  // Bucket capacity in bytes of gradient; 1 MB to 25 MB suits most models
  // and networks (fewer, larger messages amortise latency; smaller ones
  // start sooner). REQUIRES: >= 4 and <= 1 GiB.
  std::size_t bucket_bytes = std::size_t(1) << 20;
  // Start each bucket during backward (true) or all of them in finish()
  // (false: no overlap, to measure what overlap hides).
  bool overlap = true;
};

// Where each parameter went, for tests and reports.
struct BucketInfo {
  std::vector<std::string> params;  // names, in the bucket's order
  std::size_t elements = 0;         // gradient elements (without the flags)
  DType dtype = kFloat32;
};

// Totals since construction (or reset_stats()).
struct ReducerStats {
  std::size_t steps = 0;
  std::size_t bytes = 0;      // gradient bytes this rank sent into all-reduces
  double hook_seconds = 0;    // inside hooks during backward: packing, starting, progressing
  double finish_seconds = 0;  // inside finish(): packing leftovers, waiting, unpacking
  double wait_seconds = 0;    // of which blocked waiting for buckets (communication not hidden)
};

class GradientReducer {
 public:
  // REQUIRES: parameters defined, floating-point, distinctly named
  // (ValueError otherwise); every rank passes the same parameters (names,
  // shapes, dtypes, order), so the buckets match.
  GradientReducer(const Communicator& comm, std::vector<Parameter> params,
                  ReducerOptions options = {});
  ~GradientReducer();
  GradientReducer(const GradientReducer&) = delete;
  GradientReducer& operator=(const GradientReducer&) = delete;

  // Arms the hooks for one backward pass; weight scales this rank's
  // gradients (see above). REQUIRES: not armed already; weight finite, >= 0.
  void prepare(double weight);
  // Completes the step (see above). REQUIRES: prepare() was called.
  void finish();
  bool armed() const { return armed_; }
  // Buckets started so far in this step (all of them after finish()).
  std::size_t buckets_started() const { return next_; }

  const std::vector<BucketInfo>& buckets() const { return info_; }
  const ReducerStats& stats() const { return stats_; }
  void reset_stats() { stats_ = {}; }

 private:
  struct Slot {
    std::size_t bucket = 0, offset = 0, flag = 0;  // element offsets in the bucket
    bool packed = false;
  };
  struct Bucket {
    DType dtype = kFloat32;
    std::vector<std::size_t> params;  // indices into params_
    std::size_t count = 0;            // elements: gradients, then one flag per parameter
    std::vector<char> send, recv;
    std::size_t pending = 0;  // parameters not packed yet
    MPI_Request request = MPI_REQUEST_NULL;
    bool started = false;
  };

  void on_gradient(std::size_t k);
  void pack(std::size_t k);
  void start_ready_buckets();
  void start(Bucket& b);
  void progress();
  void unpack(const Bucket& b);

  MPI_Comm comm_;
  std::vector<Parameter> params_;
  ReducerOptions options_;
  std::vector<Slot> slots_;
  std::vector<Bucket> buckets_;
  std::vector<BucketInfo> info_;
  std::vector<HookHandle> hooks_;
  std::size_t next_ = 0;  // first bucket not started
  double weight_ = 1;
  bool armed_ = false;
  ReducerStats stats_;
};

}  // namespace xgrad
