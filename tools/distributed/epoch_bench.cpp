// The default CNN's epoch (xgrad-train's model: 32 and 64 channels, Adam
// 1e-3, batch 64, Fashion-MNIST standardised), plain or data-parallel.
// Data-parallel: the epoch with overlap on; then `compare` more steps in
// blocks of 20 that alternate between a reducer with overlap and one
// without (same model, same run), giving the all-reduce time per step when
// nothing hides it (wait, overlap off) and what overlap saves of it
// (hidden = (step off - step on) / wait off).
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "framework/data/data_loader.h"
#include "framework/data/normalize.h"
#include "models/distributed/data_parallel.h"
#include "models/train/builders.h"
#include "ops/softmax_cross_entropy.h"
#include "tools/distributed/bench.h"

namespace xgrad::dist_bench {

namespace {
double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Totals {
  double seconds = 0, wait = 0, hooks = 0;
  std::size_t steps = 0;
};

void dp_step(DataParallel& dp, Optimizer& opt, const DataLoader& loader,
             const std::vector<std::size_t>& rows) {
  opt.zero_grad();
  const Shard s = dp.begin_step(rows.size());
  if (!s.empty()) {
    Batch b = loader.gather(rows_of(rows, s));
    softmax_cross_entropy(dp.forward(b.x), b.y).backward();
  }
  dp.end_step();
  opt.step();
}
}  // namespace

void epoch_bench(const Communicator* world, const Options& o) {
  Dataset train = load_fashion_mnist(Split::kTrain, "", ImageLayout::kChannels);
  Standardizer norm(NormalizeOver::kAll);
  train.x = norm.fit_transform(train.x);
  ModelSpec spec;
  spec.kind = "cnn";
  spec.conv1 = 32;
  spec.conv2 = 64;
  std::shared_ptr<Module> model = make_model(spec);
  std::unique_ptr<Optimizer> opt = make_optimizer(OptimizerSpec{}, model->parameters());
  const std::size_t batch = o.batch;
  DataLoader loader(train, batch, /*shuffle=*/true, /*seed=*/0);
  std::size_t steps =
      o.batches > 0 ? std::min(o.batches, loader.batch_count()) : loader.batch_count();
  if (o.smoke) steps = 3;
  const int ranks = world ? world->size() : 1;
  const bool root = !world || world->rank() == 0;

  if (o.plain) {
    const DataLoader::Epoch epoch = loader.epoch(0);
    double forward = 0;  // gathering the batch, the forward pass and the loss
    const double t0 = now();
    for (std::size_t i = 0; i < steps; ++i) {
      const double f0 = now();
      const Batch b = epoch.batch(i);
      opt->zero_grad();
      Tensor loss = softmax_cross_entropy((*model)(b.x), b.y);
      forward += now() - f0;
      loss.backward();
      opt->step();
    }
    const double t = now() - t0;
    std::printf(
        "plain loop, 1 process x %zu threads, batch %zu: %zu steps in %.2f s, %.2f "
        "ms/step (forward %.0f%%)\n",
        o.threads, batch, steps, t, 1e3 * t / double(steps), 100 * forward / t);
    std::printf(
        "RESULT epoch mode=plain ranks=1 threads=%zu batch=%zu steps=%zu seconds=%.3f "
        "step_ms=%.3f forward_fraction=%.3f\n",
        o.threads, batch, steps, t, 1e3 * t / double(steps), forward / t);
    return;
  }

  ReducerOptions on, off;
  on.bucket_bytes = off.bucket_bytes = std::size_t(o.bucket_mb * 1e6);
  off.overlap = false;
  DataParallel dp_on(*world, *model, on), dp_off(*world, *model, off);
  const std::vector<std::size_t> order0 = loader.order(0);
  world->barrier();
  const double t0 = now();
  for (std::size_t i = 0; i < steps; ++i)
    dp_step(dp_on, *opt, loader, global_batch(order0, i, batch));
  const double epoch_seconds = now() - t0;
  const ReducerStats epoch_stats = dp_on.reducer().stats();

  // Overlap on and off alternated, on the next epoch's batches.
  const std::vector<std::size_t> order1 = loader.order(1);
  const std::size_t compare = o.smoke ? 4 : std::min(o.compare, loader.batch_count());
  Totals t_on, t_off;
  dp_on.reducer().reset_stats();
  for (std::size_t i = 0; i < compare; i += 20) {
    const bool overlap = (i / 20) % 2 == 0;
    DataParallel& dp = overlap ? dp_on : dp_off;
    Totals& t = overlap ? t_on : t_off;
    const std::size_t end = std::min(compare, i + 20);
    const double b0 = now();
    for (std::size_t j = i; j < end; ++j) dp_step(dp, *opt, loader, global_batch(order1, j, batch));
    t.seconds += now() - b0;
    t.steps += end - i;
  }
  for (auto [dp, t] : {std::pair{&dp_on, &t_on}, std::pair{&dp_off, &t_off}}) {
    t->wait = dp->reducer().stats().wait_seconds;
    t->hooks = dp->reducer().stats().hook_seconds;
  }
  if (!root) return;
  auto per = [](double s, std::size_t n) { return n ? 1e3 * s / double(n) : 0.0; };
  const double step_on = per(t_on.seconds, t_on.steps), step_off = per(t_off.seconds, t_off.steps);
  const double wait_on = per(t_on.wait, t_on.steps), wait_off = per(t_off.wait, t_off.steps);
  const double hidden = wait_off > 0 ? (step_off - step_on) / wait_off : 0;
  std::printf("data-parallel, %d ranks x %zu threads, %zu buckets of <= %.2f MB (%zu bytes)\n",
              ranks, o.threads, dp_on.reducer().buckets().size(), o.bucket_mb,
              epoch_stats.steps ? epoch_stats.bytes / epoch_stats.steps : 0);
  std::printf("  epoch: %zu steps in %.2f s, %.2f ms/step; waiting for buckets %.2f ms/step\n",
              steps, epoch_seconds, per(epoch_seconds, steps),
              per(epoch_stats.wait_seconds, epoch_stats.steps));
  std::printf("  overlap on:  %.2f ms/step, waiting %.3f ms, in hooks %.3f ms (%zu steps)\n",
              step_on, wait_on, per(t_on.hooks, t_on.steps), t_on.steps);
  std::printf("  overlap off: %.2f ms/step, waiting %.3f ms = the all-reduce time per step\n",
              step_off, wait_off);
  std::printf("  hidden by overlap: %.0f%% of the all-reduce time\n", 100 * hidden);
  std::printf(
      "RESULT epoch mode=dp ranks=%d threads=%zu batch=%zu steps=%zu seconds=%.3f "
      "step_ms=%.3f bucket_mb=%.3f buckets=%zu step_on_ms=%.3f step_off_ms=%.3f "
      "wait_on_ms=%.4f wait_off_ms=%.4f hook_on_ms=%.4f hidden=%.3f\n",
      ranks, o.threads, batch, steps, epoch_seconds, per(epoch_seconds, steps), o.bucket_mb,
      dp_on.reducer().buckets().size(), step_on, step_off, wait_on, wait_off,
      per(t_on.hooks, t_on.steps), hidden);
}

}  // namespace xgrad::dist_bench
