// The closing table of xgrad-bench: each row's value, its limit on this machine and the
// ratio between them, with the kernel path that ran (tools/bench/workloads.h, Row).
#include <cstdio>
#include <string>
#include <vector>

#include "tools/bench/bench_common.h"
#include "tools/bench/workloads.h"

namespace xgrad::bench {

namespace {
std::vector<Row>& rows() {
  static std::vector<Row> r;
  return r;
}

bool is_rate(const std::string& unit) { return unit == "GFLOP/s"; }

std::string number(double v) {
  char buf[32];
  const double a = v < 0 ? -v : v;
  std::snprintf(buf, sizeof buf, a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.3g", v);
  return buf;
}
}  // namespace

double compute_limit_s(double flop, const BenchOptions& options) {
  return flop / (measure_peak(options).gflops * 1e9);
}

void add_row(const Row& row) {
  rows().push_back(row);
  if (row.limit > 0) {
    ::bench::report(row.w, row.label, "xgrad", "limit " + row.unit, row.limit, row.limit, row.limit,
                    "1x1", -1, row.path);
  }
}

void print_table() {
  const std::vector<Row>& r = rows();
  if (r.empty()) return;
  std::vector<std::vector<std::string>> cells{
      {"row", "case", "value", "limit", "ratio", "kernels"}};
  for (const Row& x : r) {
    std::string ratio = "-", limit = "-";
    if (x.limit > 0) {
      limit = number(x.limit) + " " + x.unit;
      ratio = is_rate(x.unit) ? number(100 * x.value / x.limit) + "% of peak"
                              : number(x.value / x.limit) + "x limit";
    }
    cells.push_back({x.w, x.label, number(x.value) + " " + x.unit, limit, ratio, x.path});
  }
  std::vector<std::size_t> width(cells[0].size(), 0);
  for (const auto& c : cells) {
    for (std::size_t i = 0; i < c.size(); ++i) width[i] = std::max(width[i], c[i].size());
  }
  std::printf("\n");
  for (std::size_t k = 0; k < cells.size(); ++k) {
    std::string line;
    for (std::size_t i = 0; i < cells[k].size(); ++i) {
      line += cells[k][i] + std::string(width[i] - cells[k][i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::printf("%s\n", line.c_str());
    if (k == 0) std::printf("%s\n", std::string(line.size(), '-').c_str());
  }
  std::fflush(stdout);
}

}  // namespace xgrad::bench
