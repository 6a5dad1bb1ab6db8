#include "models/train/diagnostics.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "framework/node.h"
#include "models/format.h"

namespace xgrad {

namespace {

// The elements of an Array as doubles (diagnostics read, never write).
template <class F>
void for_values(const Array& a, F f) {
  dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = a.data<T>();
    for (std::size_t i = 0; i < a.size(); ++i) f(i, double(p[i]));
  });
}

double norm(const Array& a) {
  double s = 0;
  for_values(a, [&](std::size_t, double v) { s += v * v; });
  return std::sqrt(s);
}

// ‖a − b‖ for two arrays of one dtype and size (a parameter before and after a step).
double norm_of_difference(const Array& a, const Array& b) {
  double s = 0;
  dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = a.data<T>();
    const T* q = b.data<T>();
    for (std::size_t i = 0; i < a.size(); ++i) {
      const double d = double(p[i]) - double(q[i]);
      s += d * d;
    }
  });
  return std::sqrt(s);
}

std::string percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100 * fraction);
  return buf;
}

std::string sci(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2e", v);
  return buf;
}

// Groups the vectors get(0..n−1) (each of length len) into sets of
// identical ones; `skip` leaves a vector out.
template <class Get, class Skip>
Symmetry group(std::size_t n, std::size_t len, double tol, Get get, Skip skip) {
  Symmetry s;
  s.units = n;
  std::vector<std::size_t> reps;    // one vector per group
  std::vector<std::size_t> counts;  // its group's size
  std::vector<double> scale;        // max |element| of the representative
  for (std::size_t u = 0; u < n; ++u) {
    if (skip(u)) continue;
    double su = 0;
    for (std::size_t k = 0; k < len; ++k) su = std::max(su, std::abs(get(u, k)));
    std::size_t g = 0;
    for (; g < reps.size(); ++g) {
      const double limit = tol * std::max(su, scale[g]);
      std::size_t k = 0;
      while (k < len && std::abs(get(u, k) - get(reps[g], k)) <= limit) ++k;
      if (k == len) break;
    }
    if (g == reps.size()) {
      reps.push_back(u), counts.push_back(0), scale.push_back(su);
    }
    ++counts[g];
  }
  for (std::size_t c : counts) {
    if (c < 2) continue;
    ++s.groups;
    s.units_in_groups += c;
    s.largest = std::max(s.largest, c);
  }
  return s;
}

std::vector<double> doubles(const Array& a) {
  std::vector<double> v(a.size());
  for_values(a, [&](std::size_t i, double x) { v[i] = x; });
  return v;
}

bool is_activation(const char* op) {
  return std::strcmp(op, "sigmoid") == 0 || std::strcmp(op, "tanh") == 0 ||
         std::strcmp(op, "relu") == 0;
}

std::string symmetry_message(const Symmetry& s, const char* what) {
  if (s.groups == 0) return "no two of the " + std::to_string(s.units) + " units alike";
  return std::to_string(s.units_in_groups) + " of " + std::to_string(s.units) + " units in " +
         std::to_string(s.groups) + (s.groups == 1 ? " group" : " groups") + " with identical " +
         what + (s.groups > 1 ? " (largest " + std::to_string(s.largest) + ")" : "") +
         ": same gradients, they stay copies";
}

}  // namespace

Symmetry identical_rows(const Array& weight, const Array& bias, double tolerance) {
  if (weight.dim() < 2) {
    throw_shape_error("identical_rows", "weight must have at least 2 dims (units first)", "weight",
                      weight.shape());
  }
  const std::size_t rows = weight.shape()[0], cols = rows ? weight.size() / rows : 0;
  if (bias.defined() && (bias.dim() != 1 || bias.shape()[0] != rows)) {
    throw_shape_error("identical_rows", "bias must be (rows of weight)", "weight", weight.shape(),
                      "bias", bias.shape());
  }
  const std::vector<double> w = doubles(weight), b = bias.defined() ? doubles(bias) : w;
  const std::size_t len = cols + (bias.defined() ? 1 : 0);
  return group(
      rows, len, tolerance,
      [&](std::size_t u, std::size_t k) { return k < cols ? w[u * cols + k] : b[u]; },
      [](std::size_t) { return false; });
}

Symmetry identical_columns(const Array& a, double tolerance, bool skip_zero) {
  if (a.dim() < 2) {
    throw_shape_error("identical_columns", "activations must be (N, units...)", "activations",
                      a.shape());
  }
  const std::size_t n = a.shape()[0], units = n ? a.size() / n : 0;
  const std::vector<double> v = doubles(a);
  auto get = [&](std::size_t u, std::size_t k) { return v[k * units + u]; };
  return group(units, n, tolerance, get, [&](std::size_t u) {
    if (!skip_zero) return false;
    for (std::size_t k = 0; k < n; ++k) {
      if (get(u, k) != 0) return false;
    }
    return true;
  });
}

Diagnostics::Diagnostics(std::vector<Parameter> params, DiagnosticsOptions options)
    : params_(std::move(params)), options_(options), norms_(params_.size()) {}

void Diagnostics::after_forward(const Tensor& loss) {
  ++steps_;
  std::unordered_map<const Node*, std::string> param_names;
  for (const Parameter& p : params_) param_names[p.tensor.node().get()] = p.name;
  // Every node behind the loss, in creation (forward) order.
  std::vector<const Node*> nodes, stack{loss.node().get()};
  std::unordered_set<const Node*> seen{loss.node().get()};
  while (!stack.empty()) {
    const Node* n = stack.back();
    stack.pop_back();
    nodes.push_back(n);
    for (const Edge& e : n->inputs) {
      if (seen.insert(e.node.get()).second) stack.push_back(e.node.get());
    }
  }
  std::sort(nodes.begin(), nodes.end(),
            [](const Node* a, const Node* b) { return a->seq < b->seq; });
  std::size_t k = 0;
  for (const Node* n : nodes) {
    if (!n->interior || n->inputs.empty()) continue;  // leaves, unrecorded results
    if (std::strcmp(n->op, "binary_cross_entropy") == 0) {
      for_values(n->inputs[0].node->value, [&](std::size_t, double p) {
        ++bce_values_;
        bce_extreme_ += (p == 0 || p == 1) ? 1 : 0;
      });
      continue;
    }
    if (!is_activation(n->op) || n->value.dim() < 2) continue;
    std::string label = n->scope ? n->scope : "";
    if (label.empty()) {  // the parameter of the op before: "relu after 0.weight"
      const Node* before = n->inputs[0].node.get();
      for (const Edge& e : before->inputs) {
        auto it = param_names.find(e.node.get());
        if (it != param_names.end()) {
          label = std::string(n->op) + " after " + it->second;
          break;
        }
      }
      if (label.empty()) label = std::string(n->op) + " #" + std::to_string(k + 1);
    }
    const std::size_t units = n->value.size() / n->value.shape()[0];
    if (k == layers_.size()) layers_.push_back({});
    Layer& layer = layers_[k++];
    if (layer.op != n->op || layer.label != label || layer.units != units) {
      layer = Layer{n->op, label, units, 0, 0, {}, {}};  // another network: start over
    }
    layer.last = n->value;
    const bool relu = layer.op == "relu", sigmoid = layer.op == "sigmoid";
    if (relu && layer.active.empty()) layer.active.assign(units, 0);
    const double thr = options_.saturation_threshold;
    for_values(n->value, [&](std::size_t i, double a) {
      if (relu) {
        if (a > 0) layer.active[i % units] = 1;
        return;
      }
      const double slope = sigmoid ? a * (1 - a) : 1 - a * a;  // g'(z) from g(z)
      layer.saturated += slope < thr ? 1 : 0;
    });
    layer.values += n->value.size();
  }
}

void Diagnostics::before_step(const Optimizer&) {
  before_.resize(params_.size());
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Tensor& t = params_[i].tensor;
    before_[i] = t.value();
    if (t.has_grad()) norms_[i].grad_sum += norm(t.grad());
  }
}

void Diagnostics::after_step(const Optimizer&) {
  for (std::size_t i = 0; i < params_.size() && i < before_.size(); ++i) {
    const double w = norm(before_[i]);
    const double d = norm_of_difference(params_[i].tensor.value(), before_[i]);
    ++norms_[i].steps;
    if (w == 0) continue;  // no ratio from θ = 0
    const double ratio = d / w;
    norms_[i].ratio_sum += ratio;
    norms_[i].ratio_max = std::max(norms_[i].ratio_max, ratio);
    ++norms_[i].ratio_steps;
  }
  before_.clear();
}

std::vector<DiagnosticLine> Diagnostics::report() {
  std::vector<DiagnosticLine> out;
  const double tol = options_.symmetry_tolerance;
  // L11: incoming weights (with the bias of the same layer, "x.weight" + "x.bias").
  for (const Parameter& p : params_) {
    const Array& w = p.tensor.value();
    if (p.role != ParamRole::kWeight || w.dim() < 2 || w.shape()[0] < 2) continue;
    Array bias;
    const std::size_t dot = p.name.rfind("weight");
    if (dot != std::string::npos && dot + 6 == p.name.size()) {
      const std::string bias_name = p.name.substr(0, dot) + "bias";
      for (const Parameter& q : params_) {
        if (q.name == bias_name && q.tensor.dim() == 1 && q.tensor.shape()[0] == w.shape()[0]) {
          bias = q.tensor.value();
        }
      }
    }
    const Symmetry s = identical_rows(w, bias, tol);
    out.push_back(
        {"L11", "symmetry", p.name,
         symmetry_message(s, bias.defined() ? "incoming weights and bias" : "incoming weights"),
         s.groups > 0});
  }
  for (const Layer& layer : layers_) {
    if (!layer.last.defined() || layer.units < 2) continue;
    const Symmetry s = identical_columns(layer.last, tol, layer.op == "relu");
    out.push_back({"L11", "symmetry", layer.label,
                   symmetry_message(s, "activations over the last batch") +
                       (s.groups == 0 && layer.op == "relu" ? " (dead units aside)" : ""),
                   s.groups > 0});
  }
  // L7: saturated sigmoid/tanh units and dead ReLUs.
  for (const Layer& layer : layers_) {
    if (layer.values == 0) continue;
    if (layer.op == "relu") {
      const std::size_t dead = std::size_t(std::count(layer.active.begin(), layer.active.end(), 0));
      const double f = double(dead) / double(layer.units);
      out.push_back({"L7", "dead ReLU", layer.label,
                     std::to_string(dead) + " of " + std::to_string(layer.units) + " units (" +
                         percent(f) + ") never active in " + std::to_string(steps_) +
                         (steps_ == 1 ? " step" : " steps") + ": g' = 0 passes them no error",
                     f > options_.dead_warning});
    } else {
      const double f = double(layer.saturated) / double(layer.values);
      out.push_back({"L7", "saturation", layer.label,
                     percent(f) + " of g'(z) below " +
                         format_number(options_.saturation_threshold) +
                         " (delta(l) has a factor g'(z(l)))",
                     f > options_.saturation_warning});
    }
  }
  // L10: norms and the update-to-weight ratio.
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Norms& n = norms_[i];
    if (n.steps == 0) continue;
    const double ratio = n.ratio_steps ? n.ratio_sum / double(n.ratio_steps) : NAN;
    // Weights only: a bias starts at or near 0, so its ratio says little.
    const bool weight = params_[i].role == ParamRole::kWeight;
    const bool large = weight && ratio > options_.large_update_ratio;
    const bool small = weight && ratio < options_.small_update_ratio;
    out.push_back({"L10", "norms", params_[i].name,
                   "|theta| " + sci(norm(params_[i].tensor.value())) + "  mean |grad| " +
                       sci(n.grad_sum / double(n.steps)) + "  mean |step|/|theta| " +
                       (n.ratio_steps ? sci(ratio) + " (max " + sci(n.ratio_max) + ")"
                                      : std::string("n/a (theta = 0)")) +
                       (large   ? ": large, alpha may be too large"
                        : small ? ": small, alpha may be too small"
                                : ""),
                   large || small});
  }
  // L3/L4: log h and log(1 − h) of the cross-entropy.
  if (bce_values_ > 0) {
    out.push_back({"L3/L4", "log(0)", "binary_cross_entropy",
                   std::to_string(bce_extreme_) + " of " + std::to_string(bce_values_) +
                       " probabilities exactly 0 or 1" +
                       (bce_extreme_ ? ": log 0 = -inf there (clamped to -100), no gradient "
                                       "signal; use binary_cross_entropy_with_logits"
                                     : ""),
                   bce_extreme_ > 0});
  }
  for (Layer& layer : layers_) layer = Layer{layer.op, layer.label, layer.units, 0, 0, {}, {}};
  norms_.assign(params_.size(), Norms{});
  bce_values_ = bce_extreme_ = steps_ = 0;
  return out;
}

std::string Diagnostics::format(const std::vector<DiagnosticLine>& lines) {
  std::string out;
  for (const DiagnosticLine& d : lines) {
    char head[64];
    std::snprintf(head, sizeof head, "  %c %-5s %-10s ", d.warning ? '!' : ' ', d.reference.c_str(),
                  d.check.c_str());
    out += head + d.where + ": " + d.message + "\n";
  }
  return out;
}

void Diagnostics::end_epoch(std::size_t epoch, std::FILE* log) {
  const std::string text = format(report());
  if (!log) return;
  std::fprintf(log, "diagnostics after epoch %zu ('!' = the lecture's warning applies):\n%s", epoch,
               text.c_str());
  std::fflush(log);
}

}  // namespace xgrad
