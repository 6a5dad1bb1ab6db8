#include "models/train/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "framework/error.h"
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

// Range [lo, hi] of all finite values (lo > hi when there is none).
void range_of(const PlotPanel& p, bool use_x, double& lo, double& hi) {
  lo = std::numeric_limits<double>::infinity();
  hi = -lo;
  for (const PlotSeries& s : p.series) {
    const std::size_t n = std::min(s.x.size(), s.y.size());
    for (std::size_t j = 0; j < n; ++j) {
      if (!std::isfinite(s.x[j]) || !std::isfinite(s.y[j])) continue;  // drawn points only
      const double v = use_x ? s.x[j] : s.y[j];
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
}

std::string panel_svg(const PlotPanel& p, double ox) {
  double x0, x1, y0, y1;
  range_of(p, true, x0, x1);
  if (std::isfinite(p.x_min)) x0 = std::min(x0, p.x_min), x1 = std::max(x1, p.x_min);
  range_of(p, false, y0, y1);
  const std::vector<double> xt = nice_ticks(x0, x1, 7, p.integer_x), yt = nice_ticks(y0, y1, 6);
  x0 = xt.front(), x1 = xt.back(), y0 = yt.front(), y1 = yt.back();
  const double pw = kW - kLeft - kRight, ph = kH - kTop - kBottom;
  auto sx = [&](double v) { return ox + kLeft + (v - x0) / (x1 - x0) * pw; };
  auto sy = [&](double v) { return kTop + ph - (v - y0) / (y1 - y0) * ph; };
  std::string out;
  out += "<text x='" + num(ox + kW / 2) + "' y='18' text-anchor='middle' font-size='14'>" +
         escape(p.title) + "</text>\n";
  for (double yv : yt) {  // horizontal grid lines and y tick labels
    out += "<line x1='" + num(ox + kLeft) + "' x2='" + num(ox + kLeft + pw) + "' y1='" +
           num(sy(yv)) + "' y2='" + num(sy(yv)) + "' stroke='#ddd'/>\n";
    out += "<text x='" + num(ox + kLeft - 5) + "' y='" + num(sy(yv) + 4) +
           "' text-anchor='end' font-size='10'>" + tick_label(yv, yt[1] - yt[0]) + "</text>\n";
  }
  for (double xv : xt) {  // tick marks and x tick labels
    out += "<line x1='" + num(sx(xv)) + "' x2='" + num(sx(xv)) + "' y1='" + num(kTop + ph) +
           "' y2='" + num(kTop + ph + 4) + "' stroke='#444'/>\n";
    out += "<text x='" + num(sx(xv)) + "' y='" + num(kTop + ph + 15) +
           "' text-anchor='middle' font-size='10'>" + tick_label(xv, xt[1] - xt[0]) + "</text>\n";
  }
  out += "<rect x='" + num(ox + kLeft) + "' y='" + num(kTop) + "' width='" + num(pw) +
         "' height='" + num(ph) + "' fill='none' stroke='#444'/>\n";
  out += "<text x='" + num(ox + kLeft + pw / 2) + "' y='" + num(kH - 8) +
         "' text-anchor='middle' font-size='11'>" + escape(p.x_label) + "</text>\n";
  out += "<text transform='translate(" + num(ox + 14) + "," + num(kTop + ph / 2) +
         ") rotate(-90)' text-anchor='middle' font-size='11'>" + escape(p.y_label) + "</text>\n";
  for (std::size_t i = 0; i < p.series.size(); ++i) {
    const PlotSeries& s = p.series[i];
    const char* color = kColors[(s.color >= 0 ? std::size_t(s.color) : i) % 5];
    std::string points;
    for (std::size_t j = 0; j < std::min(s.x.size(), s.y.size()); ++j) {
      if (!std::isfinite(s.x[j]) || !std::isfinite(s.y[j])) continue;
      points += num(sx(s.x[j])) + "," + num(sy(s.y[j])) + " ";
      if (s.style == PlotStyle::kLineAndPoints) {
        out += "<circle cx='" + num(sx(s.x[j])) + "' cy='" + num(sy(s.y[j])) + "' r='2.5' fill='" +
               color + "'/>\n";
      }
    }
    const bool faint = s.style == PlotStyle::kFaintLine;
    out += "<polyline fill='none' stroke='" + std::string(color) + "' stroke-width='" +
           (faint ? "1' stroke-opacity='0.3" : "2") + "' points='" + points + "'/>\n";
    const double ly = kTop + 14 + 14 * double(i);
    out += "<text x='" + num(ox + kLeft + pw - 6) + "' y='" + num(ly) +
           "' text-anchor='end' font-size='11' paint-order='stroke' stroke='white' "
           "stroke-width='3' fill='" +
           color + "'" + (faint ? " fill-opacity='0.6'" : "") + ">" + escape(s.name) + "</text>\n";
  }
  return out;
}
}  // namespace

std::vector<double> nice_ticks(double lo, double hi, std::size_t max_ticks, bool integer) {
  if (max_ticks < 3) throw ValueError("nice_ticks: max_ticks must be at least 3");
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi) lo = 0, hi = 1;
  if (hi - lo <= 1e-12 * std::max(std::abs(lo), std::abs(hi))) {  // one value: a range around it
    const double pad = integer ? 1 : (lo == 0 ? 0.5 : std::abs(lo) / 2);
    lo -= pad, hi += pad;
  }
  // The smallest 1-2-5 step whose ticks, from a multiple at or below lo to
  // one at or above hi, number at most max_ticks.
  const double raw = (hi - lo) / double(max_ticks - 1);
  double scale = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 0;
  long first = 0, last = 0;
  for (int guard = 0; guard < 8 && step == 0; ++guard, scale *= 10) {
    for (double m : {1.0, 2.0, 5.0}) {
      const double s = m * scale;
      if (integer && s < 1) continue;
      const long f = long(std::floor(lo / s + 1e-9));
      const long l = std::max(f + 1, long(std::ceil(hi / s - 1e-9)));  // two ticks at least
      if (std::size_t(l - f + 1) <= max_ticks) {
        step = s, first = f, last = l;
        break;
      }
    }
  }
  std::vector<double> ticks;
  for (long k = first; k <= last; ++k) ticks.push_back(double(k) * step);
  return ticks;
}

std::string tick_label(double value, double step) {
  char buf[32];
  const double mag = std::max(std::abs(value), step);
  if (std::abs(value) < step * 1e-6) value = 0;  // no "-0.00" from rounding
  if (step >= 1 && mag < 1e6) {
    std::snprintf(buf, sizeof buf, "%.0f", value);
  } else if (step >= 1e-4 && mag < 1e6) {
    const int decimals = int(std::ceil(-std::log10(step) - 1e-9));
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  } else {
    std::snprintf(buf, sizeof buf, "%.3g", value);
  }
  return buf;
}

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

std::vector<double> moving_average(const std::vector<double>& v, std::size_t window) {
  std::vector<double> out(v.size());
  window = std::max<std::size_t>(window, 1);
  double sum = 0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    sum += v[i], ++count;
    if (count > window) sum -= v[i - window], --count;
    out[i] = sum / double(count);
  }
  return out;
}

std::vector<PlotPanel> training_panels(const TrainingCurves& c) {
  PlotPanel loss{"loss", "epoch", "cross-entropy", {}, true, 0.0};
  PlotPanel acc{"accuracy", "epoch", "accuracy", {}, true, 0.0};
  if (!c.step_loss.empty()) {
    // A window of 1/30 of the run: the noise goes, the trend stays.
    const std::size_t window =
        std::max<std::size_t>(1, std::size_t(double(c.step_loss.size()) / 30.0 + 0.5));
    if (window == 1) {  // too few steps to smooth: the steps themselves
      loss.series.push_back({"train", c.step_x, c.step_loss, PlotStyle::kLine, 0});
    } else {
      loss.series.push_back({"train, each step", c.step_x, c.step_loss, PlotStyle::kFaintLine, 0});
      loss.series.push_back({"train, mean of " + std::to_string(window) + " steps", c.step_x,
                             moving_average(c.step_loss, window), PlotStyle::kLine, 0});
    }
  }
  // Epochs whose steps this process did not see (resumed): their means.
  const double first_step = c.step_x.empty() ? INFINITY : c.step_x.front();
  PlotSeries train_epoch{"train, epoch mean", {}, {}, PlotStyle::kLineAndPoints, 0};
  for (std::size_t i = 0; i < c.epoch.size(); ++i) {
    if (c.epoch[i] < first_step) {
      train_epoch.x.push_back(c.epoch[i]);
      train_epoch.y.push_back(c.train_loss[i]);
    }
  }
  if (!train_epoch.x.empty()) loss.series.push_back(train_epoch);
  loss.series.push_back({"test", c.epoch, c.test_loss, PlotStyle::kLineAndPoints, 1});
  acc.series.push_back({"train", c.epoch, c.train_accuracy, PlotStyle::kLineAndPoints, 0});
  acc.series.push_back({"test", c.epoch, c.test_accuracy, PlotStyle::kLineAndPoints, 1});
  std::vector<PlotPanel> panels{loss, acc};
  const auto [lo, hi] = std::minmax_element(c.step_lr.begin(), c.step_lr.end());
  if (!c.step_lr.empty() && *lo != *hi) {
    PlotPanel lr{"learning rate", "epoch", "learning rate", {}, true, 0.0};
    lr.series.push_back({"lr", c.step_x, c.step_lr, PlotStyle::kLine, 2});
    panels.push_back(lr);
  }
  return panels;
}

}  // namespace xgrad
