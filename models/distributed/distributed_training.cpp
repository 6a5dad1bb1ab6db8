#include "models/distributed/distributed_training.h"

#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

#include "framework/parallel.h"
#include "models/distributed/launch.h"
#include "models/format.h"
#include "models/train/trainer.h"

namespace xgrad {

namespace {
constexpr std::size_t kFields = 6;  // the numbers of one EpochMetrics

std::string encode(const std::vector<EpochMetrics>& history) {
  std::vector<double> v;
  for (const EpochMetrics& m : history) {
    v.insert(v.end(), {double(m.epoch), m.train_loss, m.train_accuracy, m.test_loss,
                       m.test_accuracy, m.seconds});
  }
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(double));
}

std::vector<EpochMetrics> decode(const std::string& bytes) {
  std::vector<double> v(bytes.size() / sizeof(double));
  std::memcpy(v.data(), bytes.data(), v.size() * sizeof(double));
  std::vector<EpochMetrics> history(v.size() / kFields);
  for (std::size_t i = 0; i < history.size(); ++i) {
    const double* f = v.data() + i * kFields;
    history[i] = {std::size_t(f[0]), f[1], f[2], f[3], f[4], f[5]};
  }
  return history;
}

// XGRAD_FAIL_AT=R:S -> S on rank R, else 0.
std::size_t injected_failure_step(int rank) {
  const char* env = std::getenv("XGRAD_FAIL_AT");
  if (env == nullptr) return 0;
  int r = -1;
  unsigned long s = 0;
  if (std::sscanf(env, "%d:%lu", &r, &s) != 2) {
    throw ValueError(std::string("XGRAD_FAIL_AT must be RANK:STEP, got '") + env + "'");
  }
  return r == rank ? std::size_t(s) : 0;
}
}  // namespace

DistributedTraining::DistributedTraining(const Communicator& comm, Module& model,
                                         ReducerOptions options)
    : model_(model), dp_(comm, model, options), fail_step_(injected_failure_step(comm.rank())) {}

std::string DistributedTraining::describe() const {
  const std::vector<BucketInfo>& b = dp_.reducer().buckets();
  return "data-parallel over MPI: " + std::to_string(dp_.comm().size()) + " ranks, " +
         std::to_string(b.size()) + " gradient bucket" + (b.size() == 1 ? "" : "s") +
         " all-reduced during backward";
}

void DistributedTraining::require_model(const Module& model, const char* what) const {
  if (&model != &model_) {
    throw ValueError(std::string("DistributedTraining::") + what +
                     ": not the model this group was made for");
  }
}

void DistributedTraining::synchronize(Module& model, Optimizer& optimizer,
                                      std::vector<EpochMetrics>& history) {
  require_model(model, "synchronize");
  dp_.broadcast_state(&optimizer);
  std::string bytes = is_writer() ? encode(history) : std::string();
  dp_.comm().broadcast(bytes, 0);
  if (!is_writer()) history = decode(bytes);
}

std::vector<std::size_t> DistributedTraining::begin_step(const std::vector<std::size_t>& rows) {
  if (++steps_ == fail_step_) {
    throw std::runtime_error("XGRAD_FAIL_AT: a failure injected at step " + std::to_string(steps_) +
                             " (testing fault handling)");
  }
  return rows_of(rows, dp_.begin_step(rows.size()));
}

Tensor DistributedTraining::forward(Module& model, const Tensor& x) {
  require_model(model, "forward");
  return dp_.forward(x);
}

std::pair<std::size_t, std::size_t> DistributedTraining::share(std::size_t n) const {
  const Shard s = shard_of(n, dp_.comm().rank(), dp_.comm().size());
  return {s.begin, s.end};
}

void DistributedTraining::check(const Module& model, const Optimizer& optimizer) {
  require_model(model, "check");
  dp_.check_replicas(&optimizer);
}

void check_same_data(const Communicator& comm, const DataSplits& data) {
  for (const auto& [what, set] : {std::pair{"training", &data.train}, {"test", &data.test}}) {
    const std::string differ =
        comm.ranks_differing_from_root(fingerprint({{"x", set->x}, {"y", set->y}}));
    if (!differ.empty()) {
      throw CollectiveError(std::string("the ") + what + " set of rank(s) " + differ +
                            " differs from rank 0's (" + data.description +
                            " on rank 0): every rank must load the same data");
    }
  }
}

int run_distributed_job(TrainJob job, const std::string& program, std::size_t threads,
                        ReducerOptions reducer, int& argc, char**& argv) {
  MpiSession mpi(argc, argv);
  Communicator world = mpi.world();
  return run_rank(world, program, [&] {
    if (threads == 0) {
      const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
      threads = std::max<std::size_t>(1, cores / std::size_t(mpi.local_size()));
    }
    ThreadLimit limit(threads);
    job.parallel = [&](Module& model, const DataSplits& data) {
      check_same_data(world, data);
      return std::make_unique<DistributedTraining>(world, model, reducer);
    };
    run_job(job);
    return 0;
  });
}

}  // namespace xgrad
