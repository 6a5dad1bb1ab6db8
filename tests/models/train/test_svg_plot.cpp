#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>

#include "models/train/svg_plot.h"

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
  std::size_t polylines = 0;
  for (std::size_t at = svg.find("<polyline"); at != std::string::npos;
       at = svg.find("<polyline", at + 1)) {
    ++polylines;
  }
  BOOST_TEST(polylines == 3u);
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

BOOST_AUTO_TEST_SUITE_END()
