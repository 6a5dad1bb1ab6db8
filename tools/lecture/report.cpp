// Printing the walkthrough: text for an 80-column terminal, or JSON.
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>

#include "tools/lecture/walkthrough.h"

namespace xgrad::lecture {

namespace {

constexpr std::size_t kPerLine = 8;  // 14 columns of label + 8 numbers of 8 = 78

std::string format(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

// One number in 8 columns: fixed point when it fits, else scientific.
std::string cell(double v) {
  return format(std::abs(v) < 999.5 || std::isnan(v) ? "%8.4f" : "%8.1e", v);
}

std::string json_number(double v) { return std::isfinite(v) ? format("%.17g", v) : "null"; }

// Rows labelled "x1", "x2", ... (examples) or "1", "2", ... (units).
void print_matrix_pair(std::ostream& os, const Compared& c, const char* row_prefix) {
  os << c.how << "\n";
  for (std::size_t i = 0; i < c.slide.rows; ++i) {
    const std::string label = row_prefix + std::to_string(i + 1);
    for (int side = 0; side < 2; ++side) {
      const lecture_ref::Mat& m = side == 0 ? c.slide : c.autodiff;
      for (std::size_t j = 0; j < m.cols; ++j) {
        if (j % kPerLine == 0) {
          char head[32];
          std::snprintf(head, sizeof head, "  %-4s%-8s", side == 0 && j == 0 ? label.c_str() : "",
                        j > 0       ? ""
                        : side == 0 ? "slide"
                                    : "autodiff");
          os << (j > 0 ? "\n" : "") << head;
        }
        os << cell(m(i, j));
      }
      os << "\n";
    }
  }
  os << "  largest |slide - autodiff|: " << format("%.1e", c.max_abs_diff) << "\n\n";
}

void print_json_matrix(std::ostream& os, const lecture_ref::Mat& m) {
  os << "[";
  for (std::size_t i = 0; i < m.rows; ++i) {
    os << (i ? ", [" : "[");
    for (std::size_t j = 0; j < m.cols; ++j) os << (j ? ", " : "") << json_number(m(i, j));
    os << "]";
  }
  os << "]";
}

void print_json_list(std::ostream& os, const char* key, const std::vector<Compared>& list) {
  os << "  \"" << key << "\": [\n";
  for (std::size_t k = 0; k < list.size(); ++k) {
    const Compared& c = list[k];
    os << "    {\"name\": \"" << c.name << "\", \"equation\": \"" << c.how
       << "\", \"max_abs_diff\": " << json_number(c.max_abs_diff) << ",\n     \"slide\": ";
    print_json_matrix(os, c.slide);
    os << ",\n     \"autodiff\": ";
    print_json_matrix(os, c.autodiff);
    os << "}" << (k + 1 < list.size() ? "," : "") << "\n";
  }
  os << "  ],\n";
}

std::string sizes_text(const std::vector<std::size_t>& sizes, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < sizes.size(); ++i) out += (i ? sep : "") + std::to_string(sizes[i]);
  return out;
}

}  // namespace

void print_text(std::ostream& os, const Walkthrough& w) {
  const WalkthroughOptions& o = w.options;
  os << "xgrad-lecture: backprop on the lecture's network, slide vs autodiff (float64)\n"
     << "network " << sizes_text(o.sizes, "-") << " (sigmoid units), " << o.examples
     << " examples, lambda " << o.lambda << ", seed " << o.seed << "\n"
     << "Theta(l) entries ~ N(0, " << o.init_std << "^2), x ~ N(0, 1)\n"
     << "J = -(1/n) sum_i sum_k [y log h + (1 - y) log(1 - h)] + penalty; one-hot y\n"
     << "autodiff's delta(l) is n dJ/dz(l) and its Delta(l) is n dJ/dTheta(l)\n\n";
  os << "== Forward pass (rows: examples) ==\n";
  for (const Compared& c : w.forward) print_matrix_pair(os, c, "x");
  os << "== Backward pass (rows: examples) ==\n";
  for (const Compared& c : w.deltas) print_matrix_pair(os, c, "x");
  os << "== Gradients (rows: units i of layer l+1, columns j = 0..s_l) ==\n";
  for (const Compared& c : w.gradients) print_matrix_pair(os, c, "");
  os << "== Largest |slide - autodiff| per quantity ==\n";
  std::size_t col = 0;
  for (const auto* list : {&w.forward, &w.deltas, &w.gradients}) {
    for (const Compared& c : *list) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "  %-15s %7.1e", c.name.c_str(), c.max_abs_diff);
      os << buf << (++col % 3 == 0 ? "\n" : "");
    }
  }
  os << (col % 3 ? "\n" : "") << "every difference below " << format("%.0e", kTolerance) << ": "
     << (w.pass() ? "yes" : "NO") << " (largest " << format("%.1e", w.max_abs_diff) << ")\n";
}

void print_json(std::ostream& os, const Walkthrough& w) {
  const WalkthroughOptions& o = w.options;
  os << "{\n  \"sizes\": [" << sizes_text(o.sizes, ", ") << "],\n  \"examples\": " << o.examples
     << ",\n  \"lambda\": " << json_number(o.lambda) << ",\n  \"seed\": " << o.seed
     << ",\n  \"init_std\": " << json_number(o.init_std) << ",\n";
  print_json_list(os, "forward", w.forward);
  print_json_list(os, "deltas", w.deltas);
  print_json_list(os, "gradients", w.gradients);
  os << "  \"max_abs_diff\": " << json_number(w.max_abs_diff)
     << ",\n  \"tolerance\": " << json_number(kTolerance)
     << ",\n  \"pass\": " << (w.pass() ? "true" : "false") << "\n}\n";
}

}  // namespace xgrad::lecture
