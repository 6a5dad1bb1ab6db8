#include "models/train/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace xgrad {

ProgressBar::ProgressBar(std::string label, std::size_t total, std::FILE* out)
    : ProgressBar(std::move(label), total, out, ::isatty(::fileno(out)) != 0) {}

ProgressBar::ProgressBar(std::string label, std::size_t total, std::FILE* out, bool interactive)
    : label_(std::move(label)),
      total_(total),
      out_(out),
      interactive_(interactive),
      start_(Clock::now()),
      last_draw_(start_ - std::chrono::seconds(1)) {}

std::string format_duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  const long t = std::lround(s);
  char buf[32];
  if (t >= 3600) {
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, (t / 60) % 60);
  } else if (t >= 60) {
    std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lds", t);
  }
  return buf;
}

std::string ProgressBar::line() const {
  constexpr std::size_t kWidth = 20;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  const std::size_t filled = total_ ? std::min(kWidth, kWidth * done_ / total_) : kWidth;
  const double rate = elapsed > 0 ? double(examples_) / elapsed : 0.0;
  const double eta =
      done_ > 0 && total_ >= done_ ? elapsed * double(total_ - done_) / double(done_) : NAN;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s [%s%s] %zu/%zu  loss %.4f  acc %.1f%%  %.0f ex/s  %s %s",
                label_.c_str(), std::string(filled, '#').c_str(),
                std::string(kWidth - filled, '.').c_str(), done_, total_, loss_, 100.0 * accuracy_,
                rate, finished_ ? "time" : "ETA",
                format_duration(finished_ ? elapsed : eta).c_str());
  return buf;
}

void ProgressBar::update(std::size_t done, double loss, double accuracy, std::size_t examples) {
  done_ = done;
  loss_ = loss;
  accuracy_ = accuracy;
  examples_ = examples;
  if (!interactive_) return;
  const auto now = Clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100) && done_ < total_) return;
  last_draw_ = now;
  std::fprintf(out_, "\r\033[K%s", line().c_str());
  std::fflush(out_);
}

void ProgressBar::finish() {
  if (finished_) return;
  finished_ = true;
  std::fprintf(out_, interactive_ ? "\r\033[K%s\n" : "%s\n", line().c_str());
  std::fflush(out_);
}

}  // namespace xgrad
