// The perceptron rule on AND, OR and XOR, and its printing.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

#include "framework/factory.h"
#include "tools/lecture/walkthrough.h"

namespace xgrad::lecture {

namespace {
std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
}  // namespace

std::vector<PerceptronRun> run_perceptron(std::size_t max_epochs) {
  Tensor x = tensor({{0.0, 0.0}, {0.0, 1.0}, {1.0, 0.0}, {1.0, 1.0}}, kFloat64);
  struct Task {
    const char* name;
    Tensor y;
    bool separable;
  };
  std::vector<PerceptronRun> runs;
  for (const Task& t : {Task{"AND", tensor({0.0, 0.0, 0.0, 1.0}, kFloat64), true},
                        Task{"OR", tensor({0.0, 1.0, 1.0, 1.0}, kFloat64), true},
                        Task{"XOR", tensor({0.0, 1.0, 1.0, 0.0}, kFloat64), false}}) {
    Perceptron p(2, 1.0);
    PerceptronFit fit = p.fit(x, t.y, max_epochs);
    runs.push_back({t.name, fit, p.theta(), t.separable});
  }
  return runs;
}

bool perceptron_as_expected(const std::vector<PerceptronRun>& runs) {
  return std::all_of(runs.begin(), runs.end(), [](const PerceptronRun& r) {
    return r.fit.converged == r.expected_to_converge;
  });
}

void print_text(std::ostream& os, const std::vector<PerceptronRun>& runs) {
  os << "Perceptron rule theta <- theta + alpha (y - h(x)) x, step h, alpha 1, theta = 0\n";
  for (const PerceptronRun& r : runs) {
    char buf[96];
    if (r.fit.converged) {
      std::snprintf(buf, sizeof buf, "  %-4s converged after %zu epochs, theta = (%g, %g, %g)",
                    r.data.c_str(), r.fit.epochs, r.theta[0], r.theta[1], r.theta[2]);
    } else {
      std::snprintf(buf, sizeof buf,
                    "  %-4s did not converge in %zu epochs (%zu errors in the last)",
                    r.data.c_str(), r.fit.epochs, r.fit.errors_per_epoch.back());
    }
    os << buf << "\n";
  }
  os << "as the lecture says (AND, OR converge; XOR does not): "
     << (perceptron_as_expected(runs) ? "yes" : "NO") << "\n";
}

void print_json(std::ostream& os, const std::vector<PerceptronRun>& runs) {
  os << "{\n  \"perceptron\": [\n";
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const PerceptronRun& r = runs[k];
    os << "    {\"data\": \"" << r.data
       << "\", \"converged\": " << (r.fit.converged ? "true" : "false")
       << ", \"epochs\": " << r.fit.epochs << ", \"theta\": [" << json_number(r.theta[0]) << ", "
       << json_number(r.theta[1]) << ", " << json_number(r.theta[2])
       << "], \"errors_per_epoch\": [";
    for (std::size_t e = 0; e < r.fit.errors_per_epoch.size(); ++e) {
      os << (e ? ", " : "") << r.fit.errors_per_epoch[e];
    }
    os << "]}" << (k + 1 < runs.size() ? "," : "") << "\n";
  }
  os << "  ],\n  \"pass\": " << (perceptron_as_expected(runs) ? "true" : "false") << "\n}\n";
}

}  // namespace xgrad::lecture
