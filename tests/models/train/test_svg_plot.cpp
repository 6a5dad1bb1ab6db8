#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>
#include <regex>
#include <string>

#include "framework/error.h"
#include "models/train/svg_plot.h"
#include "tests/framework/temp_dir.h"

namespace {

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

// The x tick labels of every panel: text centred under the plots (y = 270).
std::vector<std::string> x_labels(const std::string& svg) {
  std::vector<std::string> out;
  const std::regex re("y='270' text-anchor='middle' font-size='10'>([^<]*)<");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator();
       ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

bool near(double a, double b) { return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(models_train_svg_plot_tests)

BOOST_AUTO_TEST_CASE(renders_one_polyline_per_series_and_escapes_text) {
  xgrad::PlotPanel loss{"loss <per epoch>", "epoch", "loss", {}};
  loss.series.push_back({"train", {1, 2, 3}, {0.9, 0.5, 0.4}});
  loss.series.push_back({"test", {1, 2, 3}, {1.0, 0.6, 0.5}});
  xgrad::PlotPanel acc{"accuracy", "epoch", "accuracy", {}};
  acc.series.push_back({"test", {1, 2, 3}, {0.7, 0.8, 0.85}});
  const std::string svg = xgrad::render_svg({loss, acc});
  BOOST_TEST(svg.find("<svg") != std::string::npos);
  BOOST_TEST(svg.find("width='840'") != std::string::npos);  // two 420-px panels
  BOOST_TEST(count(svg, "<polyline") == 3u);
  BOOST_TEST(svg.find("loss &lt;per epoch&gt;") != std::string::npos);
  BOOST_TEST(svg.rfind("</svg>\n") == svg.size() - 7);
}

BOOST_AUTO_TEST_CASE(single_point_and_nan_do_not_break_the_scale) {
  xgrad::PlotPanel p{"p", "x", "y", {}};
  p.series.push_back({"s", {1, 2}, {0.5, std::nan("")}});
  const std::string svg = xgrad::render_svg({p});
  BOOST_TEST(svg.find("nan") == std::string::npos);
  BOOST_TEST(svg.find("inf") == std::string::npos);
}

// The example: the old axis put ticks at the data's ends (0.4399,
// 0.4976). Steps of 0.01 would need 8 ticks; 0.02 needs 5.
BOOST_AUTO_TEST_CASE(ticks_are_round_and_cover_the_data) {
  const std::vector<double> t = xgrad::nice_ticks(0.4399, 0.4976, 6);
  const std::vector<double> want{0.42, 0.44, 0.46, 0.48, 0.50};
  BOOST_TEST_REQUIRE(t.size() == want.size());
  for (std::size_t i = 0; i < t.size(); ++i) BOOST_TEST(near(t[i], want[i]), t[i]);
  const std::vector<double> big = xgrad::nice_ticks(0, 12345, 6);  // 1000s: 14, 2000s: 8
  BOOST_TEST(big == (std::vector<double>{0, 5000, 10000, 15000}));
  const std::vector<double> unit = xgrad::nice_ticks(0, 1, 6);
  BOOST_TEST(unit.size() == 6u);
  BOOST_TEST(near(unit[3], 0.6));
  const std::vector<double> neg = xgrad::nice_ticks(-3.2, 0.1, 6);
  BOOST_TEST(neg == (std::vector<double>{-4, -3, -2, -1, 0, 1}));
}

BOOST_AUTO_TEST_CASE(integer_axes_have_whole_ticks_and_degenerate_ranges_widen) {
  BOOST_TEST(xgrad::nice_ticks(1, 3, 7, true) == (std::vector<double>{1, 2, 3}));
  BOOST_TEST(xgrad::nice_ticks(1, 1, 7, true) == (std::vector<double>{0, 1, 2}));
  BOOST_TEST(xgrad::nice_ticks(0, 30, 7, true) == (std::vector<double>{0, 5, 10, 15, 20, 25, 30}));
  // Without `integer`, one to three epochs would be ticked every 0.5.
  BOOST_TEST(xgrad::nice_ticks(1, 3, 7, false).size() == 5u);
  const std::vector<double> one = xgrad::nice_ticks(0.5, 0.5, 6);
  BOOST_TEST(one.front() <= 0.25);
  BOOST_TEST(one.back() >= 0.75);
  BOOST_TEST(xgrad::nice_ticks(NAN, INFINITY, 6).size() >= 2u);
  BOOST_CHECK_THROW(xgrad::nice_ticks(0, 1, 2), xgrad::ValueError);
  BOOST_TEST(xgrad::nice_ticks(-437, 794, 3) == (std::vector<double>{-1000, 0, 1000}));
}

// Whatever the range: at most max_ticks ticks, evenly spaced by 1, 2 or 5
// times a power of ten, the first at or below lo and the last at or above hi.
BOOST_AUTO_TEST_CASE(ticks_hold_their_properties_on_random_ranges) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> mant(-1, 1), expo(-6, 6);
  for (int trial = 0; trial < 2000; ++trial) {
    const double a = mant(rng) * std::pow(10.0, expo(rng));
    const double b = a + std::abs(mant(rng)) * std::pow(10.0, expo(rng));
    const std::size_t max_ticks = 3 + std::size_t(trial % 7);
    const std::vector<double> t = xgrad::nice_ticks(a, b, max_ticks);
    BOOST_TEST_REQUIRE(t.size() >= 2u, a << " " << b << " " << max_ticks);
    BOOST_TEST_REQUIRE(t.size() <= max_ticks, a << " " << b << " " << max_ticks);
    const double step = t[1] - t[0];
    const double m = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    auto about = [](double v, double w) { return std::abs(v - w) < 1e-3; };  // t1 − t0 rounds
    BOOST_TEST_REQUIRE((about(m, 1) || about(m, 2) || about(m, 5) || about(m, 10)), step);
    BOOST_TEST_REQUIRE(t.front() <= a + 1e-9 * std::abs(step));
    BOOST_TEST_REQUIRE(t.back() >= b - 1e-9 * std::abs(step));
  }
}

BOOST_AUTO_TEST_CASE(tick_labels_show_the_step_s_decimals) {
  BOOST_TEST(xgrad::tick_label(0.1 + 0.2, 0.1) == "0.3");
  BOOST_TEST(xgrad::tick_label(0.44, 0.02) == "0.44");
  BOOST_TEST(xgrad::tick_label(-1e-17, 0.02) == "0.00");
  BOOST_TEST(xgrad::tick_label(15000, 5000) == "15000");
  BOOST_TEST(xgrad::tick_label(3e-5, 1e-5) == "3e-05");
}

BOOST_AUTO_TEST_CASE(moving_average_of_the_last_values) {
  const std::vector<double> m = xgrad::moving_average({1, 2, 3, 4, 5}, 2);
  BOOST_TEST(m == (std::vector<double>{1, 1.5, 2.5, 3.5, 4.5}));
}

// Two epochs of 30 steps: the steps sit between the integer epochs, the
// test points at 1 and 2, and only whole epochs are ticked; 60 steps are
// averaged 2 at a time (1/30 of the run). A constant lr draws no
// learning-rate panel; a changing one does.
xgrad::TrainingCurves two_epochs(double lr2, int steps = 30) {
  xgrad::TrainingCurves c;
  for (int k = 1; k <= 2 * steps; ++k) {
    c.step_x.push_back(double(k) / steps);
    c.step_loss.push_back(1.0 / k);
    c.step_lr.push_back(k <= steps ? 0.1 : lr2);
  }
  c.epoch = {1, 2};
  c.train_loss = {0.5, 0.2};
  c.train_accuracy = {0.6, 0.8};
  c.test_loss = {0.45, 0.3};
  c.test_accuracy = {0.62, 0.75};
  return c;
}

BOOST_AUTO_TEST_CASE(training_panels_show_steps_epochs_and_a_changing_lr) {
  const std::vector<xgrad::PlotPanel> constant = xgrad::training_panels(two_epochs(0.1));
  BOOST_TEST(constant.size() == 2u);
  const std::vector<xgrad::PlotPanel> panels = xgrad::training_panels(two_epochs(0.01));
  BOOST_TEST_REQUIRE(panels.size() == 3u);
  BOOST_TEST(panels[2].title == "learning rate");
  const xgrad::PlotPanel& loss = panels[0];
  BOOST_TEST_REQUIRE(loss.series.size() == 3u);  // raw steps, smoothed steps, test
  BOOST_TEST(loss.series[0].x.size() == 60u);
  BOOST_TEST(loss.series[1].name == "train, mean of 2 steps");
  BOOST_TEST(loss.series[1].y[1] == (1.0 + 0.5) / 2);
  BOOST_TEST(loss.series[2].name == "test");
  // Four steps an epoch are too few to smooth: one line of the steps.
  const xgrad::PlotPanel few = xgrad::training_panels(two_epochs(0.1, 4))[0];
  BOOST_TEST_REQUIRE(few.series.size() == 2u);
  BOOST_TEST(few.series[0].name == "train");
  const std::string svg = xgrad::render_svg(panels);
  BOOST_TEST(x_labels(svg) ==
             (std::vector<std::string>{"0", "1", "2", "0", "1", "2", "0", "1", "2"}));
  BOOST_TEST(count(svg, "stroke-opacity") == 1u);  // the raw steps, faint
}

BOOST_AUTO_TEST_CASE(a_resumed_run_shows_the_unseen_epochs_means) {
  xgrad::TrainingCurves c = two_epochs(0.1);
  c.step_x.erase(c.step_x.begin(), c.step_x.begin() + 30);  // epoch 1 came from a checkpoint
  c.step_loss.erase(c.step_loss.begin(), c.step_loss.begin() + 30);
  c.step_lr.erase(c.step_lr.begin(), c.step_lr.begin() + 30);
  const xgrad::PlotPanel loss = xgrad::training_panels(c)[0];
  BOOST_TEST_REQUIRE(loss.series.size() == 3u);  // 30 steps: not smoothed
  BOOST_TEST(loss.series[1].x == (std::vector<double>{1}));
  BOOST_TEST(loss.series[1].name == "train, epoch mean");
}

// The picture must be an SVG a renderer accepts: CI installs librsvg2-bin
// (tools/setup.sh), and the test requires rsvg-convert.
BOOST_AUTO_TEST_CASE(rsvg_convert_renders_the_training_plot) {
  const auto dir = xgrad::testing::temp_dir("svg_plot");
  const std::string svg = (dir / "training.svg").string(), png = (dir / "training.png").string();
  xgrad::write_svg(svg, xgrad::training_panels(two_epochs(0.01)));
  const std::string cmd = "rsvg-convert -o '" + png + "' '" + svg + "' 2>&1";
  BOOST_TEST_REQUIRE(std::system(cmd.c_str()) == 0, "rsvg-convert rejected " << svg);
  std::ifstream in(png, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  BOOST_TEST(std::string(magic + 1, 3) == "PNG");
}

BOOST_AUTO_TEST_SUITE_END()
