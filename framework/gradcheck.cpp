#include "framework/gradcheck.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "framework/engine.h"
#include "framework/factory.h"
#include "framework/generator.h"
#include "framework/grad_mode.h"

namespace xgrad {

namespace {

std::vector<Tensor> as_leaves(const std::vector<Array>& values, const std::vector<bool>& checked) {
  std::vector<Tensor> out;
  out.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) out.emplace_back(values[i], bool(checked[i]));
  return out;
}

// Σ_j sum(u_j * (plus_j - minus_j)) / (2h), differencing before summing.
double directional(const std::vector<Array>& u, const std::vector<Tensor>& plus,
                   const std::vector<Tensor>& minus, double h, const std::string& op) {
  double acc = 0;
  for (std::size_t j = 0; j < u.size(); ++j) {
    const Array& p = plus[j].value();
    const Array& m = minus[j].value();
    if (p.shape() != u[j].shape() || m.shape() != u[j].shape()) {
      throw_shape_error("gradcheck of " + op, "output shape changed under perturbation", "output",
                        u[j].shape(), "perturbed", p.shape());
    }
    const double* pu = u[j].data<double>();
    const double* pp = p.data<double>();
    const double* pm = m.data<double>();
    for (std::size_t i = 0, n = u[j].size(); i < n; ++i) acc += pu[i] * (pp[i] - pm[i]);
  }
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
       << format_index(r.worst) << ": analytic " << r.analytic << ", numeric " << r.numeric
       << " (max abs error " << r.max_abs_error << ", max rel error " << r.max_rel_error << ")\n";
  }
  return os.str();
}

GradcheckResult gradcheck(const std::string& op, const MultiFn& f,
                          const std::vector<Tensor>& inputs, const GradcheckOptions& options) {
  std::vector<Array> x;
  std::vector<bool> checked(inputs.size(), false);
  for (const Tensor& t : inputs) {
    x.push_back(is_floating(t.dtype()) ? t.value().to(kFloat64) : t.value());
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    checked[i] = options.wrt.empty() && is_floating(x[i].dtype());
  }
  for (std::size_t i : options.wrt) {
    if (i >= inputs.size())
      throw_value_error("gradcheck of " + op, "no input " + std::to_string(i));
    if (!is_floating(x[i].dtype())) {
      throw_dtype_error("gradcheck of " + op, "only floating-point inputs have gradients",
                        "input " + std::to_string(i), x[i].dtype());
    }
    checked[i] = true;
  }

  // Analytic: backward of Σ_j sum(u_j * f_j(x)).
  std::vector<Tensor> leaves = as_leaves(x, checked);
  std::vector<Tensor> y = f(leaves);
  Generator gen(options.seed);
  std::vector<Array> u;
  std::vector<Tensor> roots, seeds;
  for (const Tensor& yj : y) {
    if (yj.dtype() != kFloat64) throw DTypeError("gradcheck of " + op + ": f must keep float64");
    u.push_back(gen.normal(yj.shape(), 0.0, 1.0, kFloat64));
    if (yj.requires_grad()) {
      roots.push_back(yj);
      seeds.emplace_back(u.back());
    }
  }
  std::vector<Tensor> wrt;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (checked[i]) wrt.push_back(leaves[i]);
  }
  std::vector<Tensor> analytic(wrt.size());
  if (!roots.empty()) analytic = grad(roots, wrt, seeds, false, false, true);

  GradcheckResult result{op, {}};
  const double cbrt_eps = std::cbrt(std::numeric_limits<double>::epsilon());
  NoGradGuard no_grad;
  const std::vector<bool> none(x.size(), false);
  for (std::size_t i = 0, w = 0; i < x.size(); ++i) {
    if (!checked[i]) continue;
    const Tensor& a = analytic[w++];
    InputReport report;
    report.input = i;
    report.shape = x[i].shape();
    double worst_err = -1;
    for (std::size_t k = 0; k < x[i].size(); ++k) {
      const double x0 = x[i].at(k);
      const double h = cbrt_eps * std::max(1.0, std::abs(x0));
      x[i].set(k, x0 + h);
      std::vector<Tensor> plus = f(as_leaves(x, none));
      x[i].set(k, x0 - h);
      std::vector<Tensor> minus = f(as_leaves(x, none));
      x[i].set(k, x0);
      const double numeric = directional(u, plus, minus, h, op);
      const double analytic_k = a.defined() ? a.value().at(k) : 0.0;
      const double err = std::abs(analytic_k - numeric);
      report.max_abs_error = std::max(report.max_abs_error, err);
      report.max_rel_error =
          std::max(report.max_rel_error, err / std::max(std::abs(numeric), options.atol));
      if (!(err <= options.atol + options.rtol * std::abs(numeric))) report.pass = false;
      if (err > worst_err || std::isnan(err)) {
        worst_err = std::isnan(err) ? std::numeric_limits<double>::infinity() : err;
        report.worst = unravel_index(k, x[i].shape());
        report.analytic = analytic_k;
        report.numeric = numeric;
      }
    }
    if (std::isnan(report.max_abs_error)) report.pass = false;
    result.inputs.push_back(report);
  }
  return result;
}

GradcheckResult gradcheck(const std::string& op, const OpFn& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options) {
  return gradcheck(
      op, MultiFn([&f](const std::vector<Tensor>& x) { return std::vector<Tensor>{f(x)}; }), inputs,
      options);
}

GradcheckResult gradgradcheck(const std::string& op, const OpFn& f,
                              const std::vector<Tensor>& inputs, const GradcheckOptions& options) {
  // The inputs the first derivative is taken with respect to.
  std::vector<std::size_t> diff = options.wrt;
  if (diff.empty()) {
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (is_floating(inputs[i].dtype())) diff.push_back(i);
    }
  }
  // u, the upstream gradient of f, becomes input n of the checked function.
  std::vector<Tensor> extended;
  for (const Tensor& t : inputs) {
    extended.push_back(is_floating(t.dtype()) ? Tensor(t.value().to(kFloat64)) : t);
  }
  Tensor y0;
  {
    NoGradGuard no_grad;
    y0 = f(extended);
  }
  Generator gen(options.seed + 1);
  extended.emplace_back(gen.normal(y0.shape(), 0.0, 1.0, kFloat64));
  const std::size_t n = inputs.size();
  MultiFn first_order = [&f, &diff, n](const std::vector<Tensor>& xu) {
    std::vector<Tensor> x(xu.begin(), xu.begin() + std::ptrdiff_t(n));
    std::vector<Tensor> wrt;
    std::vector<Tensor> out;
    for (std::size_t i : diff) {
      // Leaves that do not require grad here (a numeric evaluation) still
      // need a first derivative: give them one, off the outer graph.
      if (!x[i].requires_grad()) x[i] = Tensor(x[i].value(), true);
      wrt.push_back(x[i]);
    }
    AutoGradMode on(true);
    Tensor y = f(x);
    if (!y.requires_grad()) {
      for (const Tensor& w : wrt) out.push_back(zeros_like(w));
      return out;
    }
    std::vector<Tensor> g = grad({y}, wrt, {xu[n]}, true, true, true);
    for (std::size_t k = 0; k < g.size(); ++k)
      out.push_back(g[k].defined() ? g[k] : zeros_like(wrt[k]));
    return out;
  };
  GradcheckOptions second = options;
  second.wrt = diff;
  second.wrt.push_back(n);
  return gradcheck(op, first_order, extended, second);
}

std::vector<OpCheck> gradcheck_op(const OpInfo& op, std::uint64_t seed, int order) {
  Generator gen(seed);
  GradcheckOptions options;
  options.atol = op.atol;
  options.rtol = op.rtol;
  options.seed = seed;
  options.wrt = op.wrt;
  std::vector<OpCheck> checks;
  for (OpSample& sample : op.samples(gen)) {
    checks.push_back({sample.label, order == 2
                                        ? gradgradcheck(op.name, op.fn, sample.inputs, options)
                                        : gradcheck(op.name, op.fn, sample.inputs, options)});
  }
  return checks;
}

}  // namespace xgrad
