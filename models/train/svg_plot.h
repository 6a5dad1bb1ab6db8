// A small SVG line-chart writer for training curves (loss and accuracy per
// epoch), so a run leaves a plot any browser opens, with no plotting
// library. Charts are drawn side by side in one file.
#pragma once

#include <string>
#include <vector>

namespace xgrad {

struct PlotSeries {
  std::string name;
  std::vector<double> x, y;
};

struct PlotPanel {
  std::string title, x_label, y_label;
  std::vector<PlotSeries> series;
};

// The SVG document for the panels (each 420×300 px, left to right).
std::string render_svg(const std::vector<PlotPanel>& panels);

// Writes render_svg(panels) to `path` atomically.
void write_svg(const std::string& path, const std::vector<PlotPanel>& panels);

}  // namespace xgrad
