#include "models/train/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "framework/io/atomic_file.h"

namespace xgrad {

namespace {
constexpr double kW = 420, kH = 300, kLeft = 60, kRight = 15, kTop = 30, kBottom = 45;
const char* const kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"};

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

// Range [lo, hi] of all finite values, widened when degenerate.
void range_of(const PlotPanel& p, bool use_x, double& lo, double& hi) {
  lo = std::numeric_limits<double>::infinity();
  hi = -lo;
  for (const PlotSeries& s : p.series) {
    for (double v : use_x ? s.x : s.y) {
      if (std::isfinite(v)) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    }
  }
  if (!(lo <= hi)) lo = 0, hi = 1;
  if (hi - lo < 1e-12) lo -= 0.5, hi += 0.5;
}

std::string panel_svg(const PlotPanel& p, double ox) {
  double x0, x1, y0, y1;
  range_of(p, true, x0, x1);
  range_of(p, false, y0, y1);
  const double pw = kW - kLeft - kRight, ph = kH - kTop - kBottom;
  auto sx = [&](double v) { return ox + kLeft + (v - x0) / (x1 - x0) * pw; };
  auto sy = [&](double v) { return kTop + ph - (v - y0) / (y1 - y0) * ph; };
  std::string out;
  out += "<text x='" + num(ox + kW / 2) + "' y='18' text-anchor='middle' font-size='14'>" +
         escape(p.title) + "</text>\n";
  out += "<rect x='" + num(ox + kLeft) + "' y='" + num(kTop) + "' width='" + num(pw) +
         "' height='" + num(ph) + "' fill='none' stroke='#444'/>\n";
  for (int i = 0; i <= 4; ++i) {  // ticks and grid
    const double yv = y0 + (y1 - y0) * i / 4, xv = x0 + (x1 - x0) * i / 4;
    out += "<line x1='" + num(ox + kLeft) + "' x2='" + num(ox + kLeft + pw) + "' y1='" +
           num(sy(yv)) + "' y2='" + num(sy(yv)) + "' stroke='#ddd'/>\n";
    out += "<text x='" + num(ox + kLeft - 5) + "' y='" + num(sy(yv) + 4) +
           "' text-anchor='end' font-size='10'>" + num(yv) + "</text>\n";
    out += "<text x='" + num(sx(xv)) + "' y='" + num(kTop + ph + 14) +
           "' text-anchor='middle' font-size='10'>" + num(xv) + "</text>\n";
  }
  out += "<text x='" + num(ox + kLeft + pw / 2) + "' y='" + num(kH - 8) +
         "' text-anchor='middle' font-size='11'>" + escape(p.x_label) + "</text>\n";
  out += "<text transform='translate(" + num(ox + 14) + "," + num(kTop + ph / 2) +
         ") rotate(-90)' text-anchor='middle' font-size='11'>" + escape(p.y_label) + "</text>\n";
  for (std::size_t i = 0; i < p.series.size(); ++i) {
    const PlotSeries& s = p.series[i];
    const char* color = kColors[i % 5];
    std::string points;
    for (std::size_t j = 0; j < std::min(s.x.size(), s.y.size()); ++j) {
      if (!std::isfinite(s.x[j]) || !std::isfinite(s.y[j])) continue;
      points += num(sx(s.x[j])) + "," + num(sy(s.y[j])) + " ";
      out += "<circle cx='" + num(sx(s.x[j])) + "' cy='" + num(sy(s.y[j])) + "' r='2.5' fill='" +
             color + "'/>\n";
    }
    out += "<polyline fill='none' stroke='" + std::string(color) + "' stroke-width='2' points='" +
           points + "'/>\n";
    const double ly = kTop + 14 + 14 * double(i);
    out += "<text x='" + num(ox + kLeft + pw - 6) + "' y='" + num(ly) +
           "' text-anchor='end' font-size='11' fill='" + color + "'>" + escape(s.name) +
           "</text>\n";
  }
  return out;
}
}  // namespace

std::string render_svg(const std::vector<PlotPanel>& panels) {
  const double width = kW * double(std::max<std::size_t>(1, panels.size()));
  std::string out =
      "<?xml version='1.0' encoding='UTF-8'?>\n<svg xmlns='http://www.w3.org/2000/svg' width='" +
      num(width) + "' height='" + num(kH) + "' font-family='sans-serif'>\n";
  out += "<rect width='100%' height='100%' fill='white'/>\n";
  for (std::size_t i = 0; i < panels.size(); ++i) out += panel_svg(panels[i], kW * double(i));
  return out + "</svg>\n";
}

void write_svg(const std::string& path, const std::vector<PlotPanel>& panels) {
  write_file_atomically(path, render_svg(panels));
}

}  // namespace xgrad
