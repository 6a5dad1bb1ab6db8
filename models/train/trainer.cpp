#include "models/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "framework/data/data_loader.h"
#include "framework/grad_mode.h"
#include "framework/io/atomic_file.h"
#include "framework/io/npz.h"
#include "models/checkpoint.h"
#include "models/format.h"
#include "models/train/progress.h"
#include "models/train/svg_plot.h"
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

// The 1-based row number and what is wrong, for history_from's errors.
std::string history_row(const std::string& path, std::size_t i) {
  return path + ": meta/history row " + std::to_string(i + 1) + ": ";
}

// Every number is checked: a history is epochs 1..N in order with losses,
// accuracies and times in range (test columns may be NaN: no test set).
std::vector<EpochMetrics> history_from(const Array& a, const std::string& path) {
  if (a.dim() != 2 || a.shape()[1] != kMetricColumns || a.shape()[0] == 0) {
    throw FileError(path + ": meta/history must be (epochs, 6) with at least one epoch, is " +
                    format_shape(a.shape()));
  }
  std::vector<EpochMetrics> out(a.shape()[0]);
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto at = [&](std::size_t j) { return a.at(i * kMetricColumns + j); };
    auto require = [&](bool ok, const char* what, double v) {
      if (!ok) {
        throw FileError(history_row(path, i) + what + ", got " + format_number(v));
      }
    };
    if (at(0) != double(i + 1)) {
      throw FileError(history_row(path, i) + "epoch must be " + std::to_string(i + 1) + ", got " +
                      format_number(at(0)));
    }
    require(std::isfinite(at(1)) && at(1) >= 0, "train loss must be finite and >= 0", at(1));
    require(at(2) >= 0 && at(2) <= 1, "train accuracy must be in [0, 1]", at(2));
    require(std::isnan(at(3)) || (std::isfinite(at(3)) && at(3) >= 0),
            "test loss must be finite and >= 0 (or NaN)", at(3));
    require(std::isnan(at(4)) || (at(4) >= 0 && at(4) <= 1),
            "test accuracy must be in [0, 1] (or NaN)", at(4));
    require(std::isfinite(at(5)) && at(5) >= 0, "seconds must be finite and >= 0", at(5));
    out[i] = {i + 1, at(1), at(2), at(3), at(4), at(5)};
  }
  return out;
}

// Text in a checkpoint: a float64 array of its UTF-8 bytes.
Array text_array(const std::string& text) {
  Array a = Array::empty({text.size()}, kFloat64);
  for (std::size_t i = 0; i < text.size(); ++i) a.set(i, double((unsigned char)text[i]));
  return a;
}

std::string array_text(const Array& a, const std::string& path, const std::string& name) {
  std::string text;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double v = a.at(i);
    if (a.dim() != 1 || !(v >= 0 && v <= 255) || v != std::floor(v)) {
      throw FileError(path + ": " + name + " must be text (a 1-D array of bytes 0-255)");
    }
    text += char((unsigned char)v);
  }
  return text;
}

// The first line where two descriptions differ (all of a when b ends first).
std::pair<std::string, std::string> first_difference(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    const std::size_t ea = std::min(a.find('\n', i), a.size());
    const std::size_t eb = std::min(b.find('\n', j), b.size());
    std::string la = a.substr(i, ea - i), lb = b.substr(j, eb - j);
    if (la != lb) {
      auto trim = [](std::string s) { return s.erase(0, s.find_first_not_of(' ')); };
      return {la.empty() ? "(nothing)" : trim(la), lb.empty() ? "(nothing)" : trim(lb)};
    }
    i = ea + 1, j = eb + 1;
  }
  return {a, b};
}

const Array* find_entry(const NamedArrays& arrays, const std::string& name) {
  for (const auto& [n, a] : arrays) {
    if (n == name) return &a;
  }
  return nullptr;
}

// The first non-finite element of `a`, or a.size().
std::size_t first_nonfinite(const Array& a) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!std::isfinite(a.at(i))) return i;
  }
  return a.size();
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

std::string optimizer_signature(const Optimizer& optimizer) {
  const std::string groups = optimizer.describe_groups(false);  // "" for one group
  const std::string rest = optimizer.hyperparameters();
  return optimizer.name() + "(" + rest + (rest.empty() || groups.empty() ? "" : ", ") + groups +
         ")";
}

void Trainer::resume(const std::string& path) {
  // Everything is checked before load_checkpoint changes the model.
  const NamedArrays all = load_npz(path);
  const Array* history = find_entry(all, "meta/history");
  if (!history) throw FileError(path + ": no meta/history entry: not a training checkpoint");
  std::vector<EpochMetrics> restored = history_from(*history, path);
  // Checkpoints written before the description was recorded have none.
  if (const Array* stored = find_entry(all, "meta/model")) {
    const std::string text = array_text(*stored, path, "meta/model");
    if (text != model_.describe()) {
      auto [was, is] = first_difference(text, model_.describe());
      throw FileError(path + ": the checkpoint's model is " + was + ", this run's is " + is);
    }
  }
  if (const Array* stored = find_entry(all, "meta/optimizer")) {
    const std::string text = array_text(*stored, path, "meta/optimizer");
    if (text != optimizer_signature(optimizer_)) {
      throw FileError(path + ": the checkpoint's optimizer is " + text + ", this run's is " +
                      optimizer_signature(optimizer_));
    }
  }
  for (const auto& [name, a] : all) {
    if (name.rfind("model/", 0) != 0) continue;
    const std::size_t bad = first_nonfinite(a);
    if (bad < a.size()) {
      throw FileError(path + ": '" + name + "' holds " + format_number(a.at(bad)) + " at " +
                      format_index(a.shape(), bad) +
                      "; a checkpoint with non-finite weights cannot be resumed");
    }
  }
  load_checkpoint(path, model_, &optimizer_);
  if (options_.scheduler) options_.scheduler->set_last_epoch(optimizer_.step_count());
  history_ = std::move(restored);
}

EpochMetrics Trainer::train_epoch(std::size_t epoch) {
  model_.train();
  DataLoader loader(train_, options_.batch_size, /*shuffle=*/true, options_.seed);
  ProgressBar bar("epoch " + std::to_string(epoch + 1) + "/" + std::to_string(options_.epochs),
                  loader.batch_count(), options_.log ? options_.log : stdout);
  const bool show_progress =
      options_.progress && (!options_.parallel || options_.parallel->is_writer());
  const auto start = std::chrono::steady_clock::now();
  double loss_sum = 0;
  std::size_t correct = 0, seen = 0, step = 0;
  const std::size_t steps = loader.batch_count();
  auto where = [&] {
    return "Trainer: epoch " + std::to_string(epoch + 1) + ", step " + std::to_string(step) +
           " of " + std::to_string(steps) + ": ";
  };
  // With a group, each process trains on its share of every global batch,
  // and the batch's loss and counts are summed over the group.
  ParallelTraining* group = options_.parallel;
  const std::vector<std::size_t> order = loader.order(epoch);
  for (std::size_t begin = 0; begin < order.size(); begin += options_.batch_size) {
    ++step;
    const std::size_t end = std::min(order.size(), begin + options_.batch_size);
    std::vector<std::size_t> rows(order.begin() + long(begin), order.begin() + long(end));
    if (group) rows = group->begin_step(rows);
    optimizer_.zero_grad();
    std::vector<double> sums{0, 0, double(rows.size())};  // loss sum, correct, rows
    double batch_loss = 0;
    if (!rows.empty()) {
      const Batch b = loader.gather(rows);
      Tensor logits = group ? group->forward(model_, b.x) : model_(b.x);
      Tensor loss = softmax_cross_entropy(logits, b.y);
      batch_loss = loss.item();
      if (!std::isfinite(batch_loss)) {
        throw ValueError(where() + "the loss is not finite: training diverged; a lower learning " +
                         "rate may help");
      }
      for (TrainObserver* o : options_.observers) o->after_forward(loss);
      loss.backward();
      sums[0] = batch_loss * double(rows.size());
      sums[1] = double(count_correct(logits.value(), b.y.value()));
    }
    // After end_step() a group's gradients are the global batch's mean, the
    // same on every process: code that reads them (clipping) goes after it.
    if (group) group->end_step();
    for (TrainObserver* o : options_.observers) o->before_step(optimizer_);
    optimizer_.step();
    if (options_.scheduler) options_.scheduler->step();
    for (TrainObserver* o : options_.observers) o->after_step(optimizer_);
    const std::vector<std::string>& bad = optimizer_.nonfinite_gradients();
    if (!bad.empty()) {
      throw ValueError(where() + "the gradient of '" + bad.front() + "' is not finite" +
                       (bad.size() > 1
                            ? " (and of " + std::to_string(bad.size() - 1) + " more parameters)"
                            : ""));
    }
    if (group) {
      group->sum(sums);
      batch_loss = sums[0] / sums[2];  // the global batch's
    }
    loss_sum += sums[0];
    correct += std::size_t(sums[1]);
    seen += std::size_t(sums[2]);
    step_x_.push_back(double(epoch) + double(step) / double(steps));
    step_loss_.push_back(batch_loss);
    step_lr_.push_back(optimizer_.lr());
    if (show_progress)
      bar.update(step, loss_sum / double(seen), double(correct) / double(seen), seen);
  }
  EpochMetrics m;
  m.epoch = epoch + 1;
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.train_loss = loss_sum / double(seen);
  m.train_accuracy = double(correct) / double(seen);
  if (show_progress) bar.finish();
  Evaluation test = evaluate_test();
  m.test_loss = test.loss;
  m.test_accuracy = test.accuracy;
  return m;
}

Evaluation Trainer::evaluate_test() {
  ParallelTraining* group = options_.parallel;
  if (!group) return evaluate(model_, test_);
  const auto [begin, end] = group->share(test_.size());
  std::vector<double> sums{0, 0};  // loss sum, correct
  if (end > begin) {
    const Evaluation part = evaluate(model_, slice(test_, begin, end));
    sums = {part.loss * double(end - begin), std::round(part.accuracy * double(end - begin))};
  }
  group->sum(sums);
  if (test_.size() == 0) return {NAN, NAN};
  return {sums[0] / double(test_.size()), sums[1] / double(test_.size())};
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

void Trainer::check_finite(std::size_t epoch) const {
  auto check = [&](const NamedArrays& arrays, const char* what) {
    for (const auto& [name, a] : arrays) {
      const std::size_t bad = first_nonfinite(a);
      if (bad == a.size()) continue;
      throw ValueError("Trainer: epoch " + std::to_string(epoch) + ": " + what + " '" + name +
                       "' holds " + format_number(a.at(bad)) + " at " +
                       format_index(a.shape(), bad) + " after the epoch; nothing was written" +
                       (options_.out_dir.empty()
                            ? std::string()
                            : " (the files in " + options_.out_dir + " are those of epoch " +
                                  std::to_string(epoch - 1) + ")"));
    }
  };
  check(model_.state_dict(), "parameter");
  check(optimizer_.state_dict(), "optimizer state");
}

void Trainer::write_outputs() const {
  namespace fs = std::filesystem;
  const fs::path dir(options_.out_dir);
  write_file_atomically((dir / "metrics.csv").string(), metrics_csv(history_));
  TrainingCurves curves{step_x_, step_loss_, step_lr_, {}, {}, {}, {}, {}};
  for (const EpochMetrics& m : history_) {
    curves.epoch.push_back(double(m.epoch));
    curves.train_loss.push_back(m.train_loss), curves.train_accuracy.push_back(m.train_accuracy);
    curves.test_loss.push_back(m.test_loss), curves.test_accuracy.push_back(m.test_accuracy);
  }
  write_svg((dir / "training.svg").string(), training_panels(curves));
  NamedArrays extra = options_.checkpoint_extra;
  extra.emplace_back("meta/history", history_array(history_));
  extra.emplace_back("meta/model", text_array(model_.describe()));
  extra.emplace_back("meta/optimizer", text_array(optimizer_signature(optimizer_)));
  const std::string epoch_file = "checkpoint_epoch" + std::to_string(history_.size()) + ".npz";
  save_checkpoint((dir / epoch_file).string(), model_, &optimizer_, extra);
  save_checkpoint((dir / "checkpoint.npz").string(), model_, &optimizer_, extra);
}

std::vector<EpochMetrics> Trainer::fit() {
  epochs_trained_ = 0;
  // A group starts from its writer's state: after a resume only the writer
  // has read the checkpoint.
  ParallelTraining* group = options_.parallel;
  if (group) {
    group->synchronize(model_, optimizer_, history_);
    if (options_.scheduler) options_.scheduler->set_last_epoch(optimizer_.step_count());
  }
  const bool writer = !group || group->is_writer();
  if (history_.size() >= options_.epochs) return history_;
  if (!options_.out_dir.empty() && writer) std::filesystem::create_directories(options_.out_dir);
  for (std::size_t epoch = history_.size(); epoch < options_.epochs; ++epoch) {
    EpochMetrics trained = train_epoch(epoch);
    check_finite(epoch + 1);
    if (group) group->check(model_, optimizer_);
    history_.push_back(trained);
    ++epochs_trained_;
    const EpochMetrics& m = history_.back();
    if (options_.log && writer) {
      std::fprintf(options_.log,
                   "epoch %zu/%zu  train loss %.4f acc %.2f%%  test loss %.4f acc %.2f%%  %.1fs\n",
                   m.epoch, options_.epochs, m.train_loss, 100 * m.train_accuracy, m.test_loss,
                   100 * m.test_accuracy, m.seconds);
      std::fflush(options_.log);
    }
    for (TrainObserver* o : options_.observers) o->end_epoch(m.epoch, options_.log);
    if (!options_.out_dir.empty() && writer) write_outputs();
  }
  return history_;
}

}  // namespace xgrad
