#include "models/train/trainer.h"

#include <chrono>
#include <cmath>
#include <filesystem>

#include "framework/io/atomic_file.h"
#include "framework/data/data_loader.h"
#include "framework/grad_mode.h"
#include "models/train/progress.h"
#include "models/train/svg_plot.h"
#include "models/checkpoint.h"
#include "ops/softmax_cross_entropy.h"

namespace xgrad {

namespace {
constexpr std::size_t kMetricColumns = 6;

// Restores a module's train/eval mode on scope exit.
class ModeGuard {
 public:
  explicit ModeGuard(Module& m) : module_(m), training_(m.is_training()) {}
  ~ModeGuard() { module_.train(training_); }

 private:
  Module& module_;
  bool training_;
};

Array history_array(const std::vector<EpochMetrics>& history) {
  Array a = Array::empty({history.size(), kMetricColumns}, kFloat64);
  for (std::size_t i = 0; i < history.size(); ++i) {
    const EpochMetrics& m = history[i];
    const double row[kMetricColumns] = {double(m.epoch), m.train_loss,    m.train_accuracy,
                                        m.test_loss,     m.test_accuracy, m.seconds};
    for (std::size_t j = 0; j < kMetricColumns; ++j) a.set(i * kMetricColumns + j, row[j]);
  }
  return a;
}

std::vector<EpochMetrics> history_from(const Array& a, const std::string& path) {
  if (a.dim() != 2 || a.shape()[1] != kMetricColumns) {
    throw FileError(path + ": meta/history must be (epochs, 6), is " + format_shape(a.shape()));
  }
  std::vector<EpochMetrics> out(a.shape()[0]);
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto at = [&](std::size_t j) { return a.at(i * kMetricColumns + j); };
    out[i] = {std::size_t(at(0)), at(1), at(2), at(3), at(4), at(5)};
  }
  return out;
}
}  // namespace

std::size_t count_correct(const Array& logits, const Array& labels) {
  const std::size_t n = logits.shape()[0], k = logits.shape()[1];
  std::size_t correct = 0;
  dispatch(logits.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* z = logits.data<T>();
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t best = 0;
      for (std::size_t j = 1; j < k; ++j) best = z[i * k + j] > z[i * k + best] ? j : best;
      correct += double(best) == labels.at(i) ? 1 : 0;
    }
  });
  return correct;
}

Evaluation evaluate(Module& model, const Dataset& data, std::size_t batch_size) {
  Evaluation e;
  if (data.size() == 0) return {NAN, NAN};
  ModeGuard mode(model);
  model.eval();
  NoGradGuard no_grad;
  DataLoader loader(data, batch_size, /*shuffle=*/false);
  double loss_sum = 0;
  std::size_t correct = 0;
  for (const Batch& b : loader.epoch(0)) {
    Tensor logits = model(b.x);
    loss_sum += softmax_cross_entropy(logits, b.y, Reduction::kSum).item();
    correct += count_correct(logits.value(), b.y.value());
  }
  e.loss = loss_sum / double(data.size());
  e.accuracy = double(correct) / double(data.size());
  return e;
}

Trainer::Trainer(Module& model, Optimizer& optimizer, const Dataset& train, const Dataset& test,
                 TrainOptions options)
    : model_(model), optimizer_(optimizer), train_(train), test_(test), options_(options) {
  if (options_.batch_size == 0) throw ValueError("Trainer: batch size must be at least 1");
  train_.check("Trainer: training set");
}

void Trainer::resume(const std::string& path) {
  NamedArrays extra = load_checkpoint(path, model_, &optimizer_);
  for (const auto& [name, value] : extra) {
    if (name == "meta/history") history_ = history_from(value, path);
  }
  if (history_.empty())
    throw FileError(path + ": no meta/history entry: not a training checkpoint");
}

EpochMetrics Trainer::train_epoch(std::size_t epoch) {
  if (options_.schedule) optimizer_.set_lr(options_.schedule->lr_at(epoch));
  model_.train();
  DataLoader loader(train_, options_.batch_size, /*shuffle=*/true, options_.seed);
  ProgressBar bar("epoch " + std::to_string(epoch + 1) + "/" + std::to_string(options_.epochs),
                  loader.batch_count(), options_.log ? options_.log : stdout);
  const auto start = std::chrono::steady_clock::now();
  double loss_sum = 0;
  std::size_t correct = 0, seen = 0, done = 0;
  for (const Batch& b : loader.epoch(epoch)) {
    optimizer_.zero_grad();
    Tensor logits = model_(b.x);
    Tensor loss = softmax_cross_entropy(logits, b.y);
    loss.backward();
    optimizer_.step();
    const std::size_t n = b.indices.size();
    loss_sum += loss.item() * double(n);
    correct += count_correct(logits.value(), b.y.value());
    seen += n;
    if (options_.progress)
      bar.update(++done, loss_sum / double(seen), double(correct) / double(seen), seen);
  }
  EpochMetrics m;
  m.epoch = epoch + 1;
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.train_loss = loss_sum / double(seen);
  m.train_accuracy = double(correct) / double(seen);
  if (options_.progress) bar.finish();
  Evaluation test = evaluate(model_, test_);
  m.test_loss = test.loss;
  m.test_accuracy = test.accuracy;
  return m;
}

std::string metrics_csv(const std::vector<EpochMetrics>& history) {
  std::string out = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds\n";
  for (const EpochMetrics& m : history) {
    char line[256];
    std::snprintf(line, sizeof line, "%zu,%.6f,%.6f,%.6f,%.6f,%.3f\n", m.epoch, m.train_loss,
                  m.train_accuracy, m.test_loss, m.test_accuracy, m.seconds);
    out += line;
  }
  return out;
}

void Trainer::write_outputs() const {
  namespace fs = std::filesystem;
  const fs::path dir(options_.out_dir);
  write_file_atomically((dir / "metrics.csv").string(), metrics_csv(history_));
  PlotSeries train_loss{"train", {}, {}}, test_loss{"test", {}, {}};
  PlotSeries train_acc{"train", {}, {}}, test_acc{"test", {}, {}};
  for (const EpochMetrics& m : history_) {
    const double e = double(m.epoch);
    train_loss.x.push_back(e), train_loss.y.push_back(m.train_loss);
    test_loss.x.push_back(e), test_loss.y.push_back(m.test_loss);
    train_acc.x.push_back(e), train_acc.y.push_back(m.train_accuracy);
    test_acc.x.push_back(e), test_acc.y.push_back(m.test_accuracy);
  }
  write_svg((dir / "training.svg").string(),
            {{"loss", "epoch", "cross-entropy", {train_loss, test_loss}},
             {"accuracy", "epoch", "accuracy", {train_acc, test_acc}}});
  NamedArrays extra = options_.checkpoint_extra;
  extra.emplace_back("meta/history", history_array(history_));
  const std::string epoch_file = "checkpoint_epoch" + std::to_string(history_.size()) + ".npz";
  save_checkpoint((dir / epoch_file).string(), model_, &optimizer_, extra);
  save_checkpoint((dir / "checkpoint.npz").string(), model_, &optimizer_, extra);
}

std::vector<EpochMetrics> Trainer::fit() {
  if (!options_.out_dir.empty()) std::filesystem::create_directories(options_.out_dir);
  for (std::size_t epoch = history_.size(); epoch < options_.epochs; ++epoch) {
    history_.push_back(train_epoch(epoch));
    const EpochMetrics& m = history_.back();
    if (options_.log) {
      std::fprintf(options_.log,
                   "epoch %zu/%zu  train loss %.4f acc %.2f%%  test loss %.4f acc %.2f%%  %.1fs\n",
                   m.epoch, options_.epochs, m.train_loss, 100 * m.train_accuracy, m.test_loss,
                   100 * m.test_accuracy, m.seconds);
      std::fflush(options_.log);
    }
    if (!options_.out_dir.empty()) write_outputs();
  }
  return history_;
}

}  // namespace xgrad
