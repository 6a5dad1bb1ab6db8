#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <string>

#include "models/train/progress.h"

BOOST_AUTO_TEST_SUITE(models_train_progress_tests)

BOOST_AUTO_TEST_CASE(durations_are_human_readable) {
  BOOST_TEST(xgrad::format_duration(4.4) == "4s");
  BOOST_TEST(xgrad::format_duration(65) == "1m05s");
  BOOST_TEST(xgrad::format_duration(2 * 3600 + 3 * 60) == "2h03m");
  BOOST_TEST(xgrad::format_duration(-1) == "?");
}

BOOST_AUTO_TEST_CASE(non_interactive_prints_one_plain_line) {
  std::FILE* f = std::tmpfile();
  xgrad::ProgressBar bar("epoch 1/3", 10, f, false);
  bar.update(5, 0.5, 0.8, 320);
  bar.update(10, 0.25, 0.875, 640);
  bar.finish();
  std::rewind(f);
  char buf[512] = {0};
  std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  std::string text(buf, n);
  BOOST_TEST(text.find('\r') == std::string::npos);
  BOOST_TEST(std::count(text.begin(), text.end(), '\n') == 1);
  BOOST_TEST(text.find("epoch 1/3 [####################] 10/10") == 0);
  BOOST_TEST(text.find("loss 0.2500") != std::string::npos);
  BOOST_TEST(text.find("acc 87.5%") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bar_fills_in_proportion) {
  std::FILE* f = std::tmpfile();
  xgrad::ProgressBar bar("e", 4, f, false);
  bar.update(1, 1.0, 0.0, 1);
  BOOST_TEST(bar.line().find("[#####...............] 1/4") != std::string::npos);
  std::fclose(f);
}

BOOST_AUTO_TEST_SUITE_END()
