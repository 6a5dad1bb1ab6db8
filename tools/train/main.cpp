// xgrad-train: trains a model on Fashion-MNIST (or a CSV file) with a
// progress bar, then writes metrics.csv, training.svg and checkpoints to
// --out and prints a summary table. Logic lives in models/train/trainer.h,
// models/train/builders.h (the model, optimiser and activation tables that
// the choices and help texts come from) and models/train/data_source.h.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>

#include "framework/data/normalize.h"
#include "framework/parallel.h"
#include "models/checkpoint.h"
#include "models/format.h"
#include "models/layers/activations.h"
#include "models/train/builders.h"
#include "models/train/data_source.h"
#include "models/train/memory.h"
#include "models/train/trainer.h"

namespace {

int run(const xgrad::ModelSpec& model_spec, const xgrad::OptimizerSpec& opt_spec,
        const std::string& data, xgrad::TrainOptions options, const std::string& resume,
        bool quiet) {
  using namespace xgrad;
  const bool images = takes_images(model_spec);
  DataSplits splits =
      load_data(data, images ? ImageLayout::kChannels : ImageLayout::kFlat, 0.2, options.seed);
  if (images && !splits.images) {
    throw ValueError("--model " + model_spec.kind + " takes images (--data fashion-mnist); " +
                     "use --model mlp or logreg for " + data);
  }
  // Standardise with training-set statistics (one mean/std over all pixels
  // for images, per feature otherwise), applied to both sets.
  Standardizer norm(splits.images ? NormalizeOver::kAll : NormalizeOver::kFeature);
  splits.train.x = norm.fit_transform(splits.train.x);
  splits.test.x = norm.transform(splits.test.x);
  options.checkpoint_extra = with_prefix(norm.state_dict(), "norm/");

  ModelSpec spec = model_spec;
  if (!images) spec.inputs = splits.train.size() ? splits.train.x.size() / splits.train.size() : 0;
  spec.classes = std::max<std::size_t>(class_count(splits.train), class_count(splits.test));
  std::shared_ptr<Module> model = make_model(spec);
  std::unique_ptr<Optimizer> optimizer = make_optimizer(opt_spec, model->parameters());
  if (!quiet) {
    std::printf("%s\n%s%s, batch %zu, %zu epochs, %zu threads\n", splits.description.c_str(),
                model->describe().c_str(), optimizer->describe().c_str(), options.batch_size,
                options.epochs, max_threads());
  }
  options.progress = !quiet;
  Trainer trainer(*model, *optimizer, splits.train, splits.test, options);
  if (!resume.empty()) {
    trainer.resume(resume);
    if (!quiet)
      std::printf("resumed from %s after epoch %zu\n", resume.c_str(), trainer.epochs_done());
  }
  std::vector<EpochMetrics> history = trainer.fit();

  std::printf("\n%5s  %10s  %9s  %9s  %8s  %8s\n", "epoch", "train loss", "train acc", "test loss",
              "test acc", "seconds");
  for (const EpochMetrics& m : history) {
    std::printf("%5zu  %10.4f  %8.2f%%  %9.4f  %7.2f%%  %8.1f\n", m.epoch, m.train_loss,
                100 * m.train_accuracy, m.test_loss, 100 * m.test_accuracy, m.seconds);
  }
  if (!options.out_dir.empty()) {
    std::printf("wrote %s/{metrics.csv,training.svg,checkpoint.npz}\n", options.out_dir.c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  xgrad::reuse_freed_memory();  // Note [Freed memory]
  CLI::App app{"Trains a model with xgrad and reports test accuracy"};
  xgrad::ModelSpec model;
  model.kind = "cnn";  // the main job's model: 90% on Fashion-MNIST in 3 epochs
  xgrad::OptimizerSpec opt;
  xgrad::TrainOptions options;
  std::string data = "fashion-mnist", resume;
  std::size_t hidden = 256, threads = 0;
  bool quiet = false;
  app.add_option("--model", model.kind, "The model:" + xgrad::table_help(xgrad::model_table()))
      ->capture_default_str();
  app.add_option("--hidden", hidden, "Hidden units of the MLP")->capture_default_str();
  std::vector<std::size_t> conv_channels{32, 64};
  app.add_option("--channels", conv_channels, "Output channels of the CNN's two convolutions")
      ->expected(2)
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--activation", model.activation,
                 "Hidden activation:" + xgrad::table_help(xgrad::activation_table()))
      ->capture_default_str();
  app.add_option("--data", data, "fashion-mnist | csv:TRAIN[,TEST]")->capture_default_str();
  app.add_option("--epochs", options.epochs)->capture_default_str()->check(CLI::Range(1, 100000));
  app.add_option("--batch", options.batch_size)
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 20));
  app.add_option("--optimizer", opt.kind,
                 "The optimiser:" + xgrad::table_help(xgrad::optimizer_table(),
                                                      [](const auto& k) {
                                                        return ", lr " + xgrad::format_number(k.lr);
                                                      }))
      ->capture_default_str();
  app.add_option("--lr", opt.lr, "Learning rate (default: the optimizer's)");
  app.add_option("--weight-decay", opt.weight_decay, "L2 on weights (the (λ/2)·Σθ² gradient)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--dropout", model.dropout, "Dropout probability")->check(CLI::Range(0.0, 0.99));
  app.add_option("--seed", options.seed, "Seed of the data order, init and dropout")
      ->capture_default_str();
  app.add_option("--threads", threads, "Threads (default: all cores)")->check(CLI::Range(1, 1024));
  app.add_option("--out", options.out_dir, "Directory for metrics.csv, training.svg, checkpoints");
  app.add_option("--resume", resume, "Continue from a checkpoint written by xgrad-train")
      ->check(CLI::ExistingFile);
  app.add_flag("--quiet", quiet, "Only the final table");
  CLI11_PARSE(app, argc, argv);
  model.hidden = {hidden};
  model.conv1 = conv_channels[0];
  model.conv2 = conv_channels[1];
  model.seed = options.seed;
  std::optional<xgrad::ThreadLimit> limit;
  if (threads > 0) limit.emplace(threads);
  try {
    return run(model, opt, data, options, resume, quiet);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xgrad-train: error: %s\n", e.what());
    return 1;
  }
}
