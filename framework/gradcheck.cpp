#include "framework/gradcheck.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "framework/generator.h"
#include "framework/grad_mode.h"

namespace xgrad {

namespace {

std::vector<Tensor> as_float64_leaves(const std::vector<Array>& values,
                                      const std::vector<bool>& checked) {
  std::vector<Tensor> out;
  out.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) out.emplace_back(values[i], bool(checked[i]));
  return out;
}

// sum(u * (plus - minus)) / (2h), differencing before summing.
double directional(const Array& u, const Array& plus, const Array& minus, double h,
                   const std::string& op) {
  if (plus.shape() != u.shape() || minus.shape() != u.shape()) {
    throw_shape_error("gradcheck of " + op, "output shape changed under perturbation", "output",
                      u.shape(), "perturbed", plus.shape());
  }
  const double* pu = u.data<double>();
  const double* pp = plus.data<double>();
  const double* pm = minus.data<double>();
  double acc = 0;
  for (std::size_t i = 0, n = u.size(); i < n; ++i) acc += pu[i] * (pp[i] - pm[i]);
  return acc / (2 * h);
}

}  // namespace

bool GradcheckResult::pass() const {
  return std::all_of(inputs.begin(), inputs.end(), [](const InputReport& r) { return r.pass; });
}

std::string GradcheckResult::message() const {
  std::ostringstream os;
  os.precision(10);
  for (const InputReport& r : inputs) {
    if (r.pass) continue;
    os << op << ": input " << r.input << " " << format_shape(r.shape) << ": element "
       << r.worst_index << ": analytic " << r.analytic << ", numeric " << r.numeric
       << " (max abs error " << r.max_abs_error << ", max rel error " << r.max_rel_error << ")\n";
  }
  return os.str();
}

GradcheckResult gradcheck(const std::string& op, const OpFn& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options) {
  std::vector<Array> x;
  std::vector<bool> checked(inputs.size(), options.wrt.empty());
  for (std::size_t i : options.wrt) {
    if (i >= inputs.size())
      throw ValueError("gradcheck of " + op + ": no input " + std::to_string(i));
    checked[i] = true;
  }
  for (const Tensor& t : inputs) x.push_back(t.value().to(kFloat64));

  // Analytic: backward of sum(u * f(x)).
  std::vector<Tensor> leaves = as_float64_leaves(x, checked);
  Tensor y = f(leaves);
  if (y.dtype() != kFloat64) throw DTypeError("gradcheck of " + op + ": f must keep float64");
  Generator gen(options.seed);
  const Array u = gen.normal(y.shape(), 0.0, 1.0, kFloat64);
  if (y.requires_grad()) y.backward(u);

  GradcheckResult result{op, {}};
  const double cbrt_eps = std::cbrt(std::numeric_limits<double>::epsilon());
  NoGradGuard no_grad;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!checked[i]) continue;
    InputReport report;
    report.input = i;
    report.shape = x[i].shape();
    const bool has_grad = leaves[i].has_grad();
    double worst_ratio = -1;
    for (std::size_t k = 0; k < x[i].size(); ++k) {
      const double x0 = x[i].at(k);
      const double h = cbrt_eps * std::max(1.0, std::abs(x0));
      x[i].set(k, x0 + h);
      Array plus = f(as_float64_leaves(x, std::vector<bool>(x.size(), false))).value();
      x[i].set(k, x0 - h);
      Array minus = f(as_float64_leaves(x, std::vector<bool>(x.size(), false))).value();
      x[i].set(k, x0);
      const double numeric = directional(u, plus, minus, h, op);
      const double analytic = has_grad ? leaves[i].grad().at(k) : 0.0;
      const double err = std::abs(analytic - numeric);
      const double ratio = err / (options.atol + options.rtol * std::abs(numeric));
      report.max_abs_error = std::max(report.max_abs_error, err);
      report.max_rel_error =
          std::max(report.max_rel_error, err / std::max(std::abs(numeric), options.atol));
      if (!(ratio <= 1)) report.pass = false;
      if (ratio > worst_ratio || std::isnan(ratio)) {
        worst_ratio = std::isnan(ratio) ? std::numeric_limits<double>::infinity() : ratio;
        report.worst_index = k;
        report.analytic = analytic;
        report.numeric = numeric;
      }
    }
    result.inputs.push_back(report);
  }
  return result;
}

std::vector<OpCheck> gradcheck_op(const OpInfo& op, std::uint64_t seed) {
  Generator gen(seed);
  GradcheckOptions options;
  options.atol = op.atol;
  options.rtol = op.rtol;
  options.seed = seed;
  options.wrt = op.wrt;
  std::vector<OpCheck> checks;
  for (OpSample& sample : op.samples(gen)) {
    checks.push_back({sample.label, gradcheck(op.name, op.fn, sample.inputs, options)});
  }
  return checks;
}

}  // namespace xgrad
