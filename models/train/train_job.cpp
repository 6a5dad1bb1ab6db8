#include "models/train/train_job.h"

#include <algorithm>

#include "framework/data/normalize.h"
#include "framework/parallel.h"
#include "models/checkpoint.h"
#include "models/train/data_source.h"
#include "models/train/diagnostics.h"
#include "models/train/optimizer_trace.h"

namespace xgrad {

std::vector<EpochMetrics> run_job(const TrainJob& job, std::FILE* out) {
  const bool images = takes_images(job.model);
  TrainOptions options = job.options;
  DataSplits splits =
      load_data(job.data, images ? ImageLayout::kChannels : ImageLayout::kFlat, 0.2, options.seed);
  if (images && !splits.images) {
    throw ValueError("--model " + job.model.kind + " takes images (--data fashion-mnist); " +
                     "use --model mlp or logreg for " + job.data);
  }
  Standardizer norm(splits.images ? NormalizeOver::kAll : NormalizeOver::kFeature);
  splits.train.x = norm.fit_transform(splits.train.x);
  splits.test.x = norm.transform(splits.test.x);
  options.checkpoint_extra = with_prefix(norm.state_dict(), "norm/");

  ModelSpec spec = job.model;
  if (!images) spec.inputs = splits.train.size() ? splits.train.x.size() / splits.train.size() : 0;
  spec.classes = std::max<std::size_t>(class_count(splits.train), class_count(splits.test));
  std::shared_ptr<Module> model = make_model(spec);
  std::unique_ptr<Optimizer> optimizer = make_optimizer(job.optimizer, model->parameters());
  const std::size_t steps =
      options.epochs * ((splits.train.size() + options.batch_size - 1) / options.batch_size);
  std::unique_ptr<LRScheduler> scheduler = make_lr_scheduler(job.schedule, *optimizer, steps);
  options.scheduler = scheduler.get();
  std::unique_ptr<ParallelTraining> group = job.parallel ? job.parallel(*model, splits) : nullptr;
  options.parallel = group.get();
  if (group && !group->is_writer()) {  // silent: the writer reports for the group
    options.log = nullptr;
    out = nullptr;
  }
  if (!job.quiet && out) {
    std::fprintf(out, "%s\n%s%s%s, batch %zu, %zu epochs, %zu threads\n",
                 splits.description.c_str(), model->describe().c_str(),
                 optimizer->describe().c_str(), scheduler ? (", " + scheduler->name()).c_str() : "",
                 options.batch_size, options.epochs, max_threads());
    if (group) std::fprintf(out, "%s\n", group->describe().c_str());
  }
  options.progress = !job.quiet && out;
  Diagnostics diagnostics(model->parameters());
  if (job.diagnose) options.observers.push_back(&diagnostics);
  std::unique_ptr<OptimizerTrace> trace;
  if (!job.trace_optimizer.empty()) {
    trace = std::make_unique<OptimizerTrace>(*optimizer, job.trace_optimizer, options.log);
    options.observers.push_back(trace.get());
  }
  Trainer trainer(*model, *optimizer, splits.train, splits.test, options);
  if (!job.resume.empty() && (!group || group->is_writer())) {
    trainer.resume(job.resume);
    if (!job.quiet) {
      std::fprintf(out, "resumed from %s after epoch %zu\n", job.resume.c_str(),
                   trainer.epochs_done());
    }
  }
  std::vector<EpochMetrics> history = trainer.fit();
  if (!out) return history;

  std::fprintf(out, "\n%5s  %10s  %9s  %9s  %8s  %8s\n", "epoch", "train loss", "train acc",
               "test loss", "test acc", "seconds");
  for (const EpochMetrics& m : history) {
    std::fprintf(out, "%5zu  %10.4f  %8.2f%%  %9.4f  %7.2f%%  %8.1f\n", m.epoch, m.train_loss,
                 100 * m.train_accuracy, m.test_loss, 100 * m.test_accuracy, m.seconds);
  }
  if (trainer.epochs_trained() == 0) {
    std::fprintf(out, "nothing to train: the checkpoint has %zu epochs and --epochs is %zu\n",
                 trainer.epochs_done(), options.epochs);
  } else if (!options.out_dir.empty()) {
    std::fprintf(out, "wrote %s/{metrics.csv,training.svg,checkpoint.npz}\n",
                 options.out_dir.c_str());
  }
  return history;
}

}  // namespace xgrad
