// ProgressBar: one line per epoch that redraws itself on a terminal.
//
//   epoch 2/5 [###########.........] 412/938  loss 0.4123  acc 85.1%  6120 ex/s  ETA 4s
//
// On a terminal (isatty) the line is redrawn in place at most ~10 times a
// second; otherwise (a log file, CI) nothing is drawn until finish(), which
// prints the final state as one plain line. Thread safety: none.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

namespace xgrad {

class ProgressBar {
 public:
  // `out` is usually stdout; `interactive` defaults to isatty(out).
  ProgressBar(std::string label, std::size_t total, std::FILE* out = stdout);
  ProgressBar(std::string label, std::size_t total, std::FILE* out, bool interactive);

  // After each batch: batches done so far, running mean loss and accuracy,
  // examples processed so far.
  void update(std::size_t done, double loss, double accuracy, std::size_t examples);
  // Prints the final line (and a newline).
  void finish();

  // The text of the current state, without control characters.
  std::string line() const;

 private:
  using Clock = std::chrono::steady_clock;
  std::string label_;
  std::size_t total_;
  std::FILE* out_;
  bool interactive_;
  Clock::time_point start_, last_draw_;
  std::size_t done_ = 0, examples_ = 0;
  double loss_ = 0, accuracy_ = 0;
  bool finished_ = false;
};

// "1m05s", "4s", "2h03m".
std::string format_duration(double seconds);

}  // namespace xgrad
