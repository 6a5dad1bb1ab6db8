// A small SVG line-chart writer for training curves, so a run leaves a plot
// any browser opens, with no plotting library. Charts are drawn side by side
// in one file.
//
// Axes read at a glance: ticks at round values, 1, 2 or 5 times a power of
// ten (nice_ticks), the axis spanning whole ticks; an axis marked integer
// (epochs) has whole-number ticks only.
// training_panels() lays out what xgrad-train writes to training.svg: the
// training loss of every step (faint) and its moving average beside the
// per-epoch test loss, the accuracies per epoch, and the learning rate when
// it changes during the run; every panel's epoch axis starts at 0.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

namespace xgrad {

enum class PlotStyle {
  kLineAndPoints,  // a line through the points, each point marked
  kLine,           // a line only (dense series: per-step values)
  kFaintLine,      // a thin pale line under the others (raw per-step values)
};

struct PlotSeries {
  std::string name;
  std::vector<double> x, y;
  PlotStyle style = PlotStyle::kLineAndPoints;
  int color = -1;  // index into the palette; -1: the series' position
};

struct PlotPanel {
  std::string title, x_label, y_label;
  std::vector<PlotSeries> series;
  bool integer_x = false;  // whole-number x ticks (epochs)
  double x_min = NAN;      // the x axis reaches down to this at least (NAN: data only)
};

// Tick positions for an axis over [lo, hi]: multiples of a step that is 1, 2
// or 5 times a power of ten, chosen so that at most `max_ticks` ticks cover
// the range, the first at or below lo and the last at or above hi. With
// `integer` the step is a whole number (at least 1). A degenerate or
// non-finite range is widened first (lo == hi: lo − 1 .. hi + 1 when
// integer, else ±0.5 or ±|lo|/2). REQUIRES: max_ticks >= 3 (a range across 0
// can need 3: −1000, 0, 1000 for −437..794); ValueError otherwise.
std::vector<double> nice_ticks(double lo, double hi, std::size_t max_ticks = 6,
                               bool integer = false);

// A tick label with just the decimals its step needs ("0.25", "1e-05").
std::string tick_label(double value, double step);

// The SVG document for the panels (each 420×300 px, left to right).
std::string render_svg(const std::vector<PlotPanel>& panels);

// Writes render_svg(panels) to `path` atomically.
void write_svg(const std::string& path, const std::vector<PlotPanel>& panels);

// What a training run records for its plot. A step's x is its position in
// epochs: step k (1-based) of S in epoch e (1-based) is at e − 1 + k/S, so
// the per-epoch values (x = e) sit at the end of their epoch's steps.
struct TrainingCurves {
  std::vector<double> step_x, step_loss, step_lr;
  std::vector<double> epoch, train_loss, train_accuracy, test_loss, test_accuracy;
};

// Moving average of the last `window` values (fewer at the start).
std::vector<double> moving_average(const std::vector<double>& v, std::size_t window);

// Loss and accuracy panels, and a learning-rate panel when step_lr is not
// constant. Steps of epochs not trained in this process (a resumed run) are
// absent: the loss panel then shows the per-epoch training loss too.
std::vector<PlotPanel> training_panels(const TrainingCurves& curves);

}  // namespace xgrad
