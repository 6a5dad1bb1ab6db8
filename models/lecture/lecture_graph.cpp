#include "models/lecture/lecture_graph.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "framework/engine.h"
#include "models/lecture/reference_bridge.h"
#include "ops/arithmetic.h"
#include "ops/binary_cross_entropy.h"

namespace xgrad {

namespace {

std::string at(const char* what, std::size_t l) {
  return std::string(what) + "(" + std::to_string(l) + ")";
}

// Per-example rows of layer l (z, a or δ) from the reference.
lecture_ref::Mat rows(std::size_t n, std::size_t l,
                      const std::function<const std::vector<lecture_ref::Vec>&(std::size_t)>& get) {
  const std::vector<lecture_ref::Vec> per = lecture_ref::layer_of(n, l, get);
  lecture_ref::Mat m(per.size(), per.front().size());
  for (std::size_t i = 0; i < m.rows; ++i) std::copy(per[i].begin(), per[i].end(), &m(i, 0));
  return m;
}

double diff(const lecture_ref::Mat& a, const lecture_ref::Mat& b) {
  double worst = 0;
  for (std::size_t k = 0; k < a.v.size(); ++k) {
    const double d = std::abs(a.v[k] - b.v[k]);
    worst = std::max(worst, std::isnan(d) ? INFINITY : d);
  }
  return worst;
}

}  // namespace

Tensor lecture_cost(const LectureActivations& act, const Tensor& Y) {
  return binary_cross_entropy(act.output(), Y, Reduction::kSum) / double(Y.shape()[0]);
}

std::vector<std::pair<Tensor, std::string>> lecture_names(const LectureNetwork& net,
                                                          const LectureActivations& act,
                                                          const Tensor& J) {
  std::vector<std::pair<Tensor, std::string>> names;
  const std::size_t L = net.layers();
  names.emplace_back(J, "J = CE / n");
  const Node& ce = *J.node();
  if (!ce.inputs.empty()) {
    const Tensor sum = ce.input(0);  // CE = the cross-entropy summed over examples and outputs
    names.emplace_back(sum, "CE");
    if (sum.node()->inputs.size() > 1) names.emplace_back(sum.node()->input(1), "y");
  }
  names.emplace_back(act.a[1], "a(1) = x");
  for (std::size_t l = 1; l < L; ++l) {
    names.emplace_back(net.theta(l), "Θ(" + std::to_string(l) + ") = theta" + std::to_string(l) +
                                         "   grad: Δ(" + std::to_string(l) + ")/n");
  }
  for (std::size_t l = 2; l <= L; ++l) {
    names.emplace_back(act.z[l], at("z", l) + "   grad: δ(" + std::to_string(l) + ")/n");
    names.emplace_back(act.a[l],
                       at("a", l) + " = g(" + at("z", l) + ")" + (l == L ? " = h(x)" : ""));
    // The input of z(l)'s product: [1 | a(l−1)].
    const Node& z = *act.z[l].node();
    if (!z.inputs.empty()) {
      const Tensor with_bias = z.input(0);
      names.emplace_back(with_bias, "[1 | " + at("a", l - 1) + "]");
      if (!with_bias.node()->inputs.empty()) {
        names.emplace_back(with_bias.node()->input(0), "1 (the bias unit)");
      }
    }
  }
  return names;
}

std::vector<LectureTraceStep> trace_backward(const LectureNetwork& net, const Tensor& X,
                                             const Tensor& Y) {
  const std::size_t n = X.shape()[0], L = net.layers();
  const double nd = double(n);
  const lecture_ref::Backprop hand =
      lecture_ref::backprop(lecture_ref::thetas_of(net), lecture_ref::rows_of(X.value()),
                            lecture_ref::rows_of(Y.value()), 0.0);
  LectureActivations act = net.forward_layers(X);
  const Tensor J = lecture_cost(act, Y);
  std::unordered_map<const Node*, std::string> name;
  name[J.node().get()] = "J";
  name[X.node().get()] = "x";
  name[Y.node().get()] = "y";
  name[J.node()->inputs[0].node.get()] = "CE";  // J = CE / n
  for (std::size_t l = 1; l < L; ++l) name[net.theta(l).node().get()] = at("Theta", l);
  std::unordered_map<const Node*, std::size_t> z_layer, a_layer;
  for (std::size_t l = 2; l <= L; ++l) {
    name[act.z[l].node().get()] = at("z", l);
    name[act.a[l].node().get()] = at("a", l);
    z_layer[act.z[l].node().get()] = l;
    a_layer[act.a[l].node().get()] = l;
    const Node& with_bias = *act.z[l].node()->inputs[0].node;
    name[&with_bias] = "[1 | " + at("a", l - 1) + "]";
    if (!with_bias.inputs.empty()) name[with_bias.inputs[0].node.get()] = "1";  // the bias unit
  }
  auto name_of = [&](const Node* node) {
    auto it = name.find(node);
    if (it != name.end()) return it->second;
    return std::string(node->interior ? node->op : "leaf");
  };

  std::vector<LectureTraceStep> steps;
  BackwardOptions options;
  options.on_step = [&](const BackwardStep& s) {
    LectureTraceStep t;
    t.op = s.node.op;
    t.output = name.count(&s.node) ? name.at(&s.node) : "";
    for (const Edge& e : s.node.inputs) t.inputs.push_back(name_of(e.node.get()));
    t.grad_out = s.grad_out.value();
    for (const Tensor& g : s.grad_inputs)
      t.grad_inputs.push_back(g.defined() ? g.value() : Array());
    if (auto it = a_layer.find(&s.node); it != a_layer.end() && s.grad_inputs[0].defined()) {
      const std::size_t l = it->second;  // g: a(l) = g(z(l)), so its input gradient is δ(l)/n
      t.lecture = at("delta", l);
      t.equation = l == L ? at("delta", L) + " = " + at("a", L) + " - y"
                          : at("delta", l) + " = " + at("Theta", l) + "' " + at("delta", l + 1) +
                                " .* g'(" + at("z", l) + "), bias row dropped";
      t.slide = rows(n, l, [&](std::size_t i) -> const std::vector<lecture_ref::Vec>& {
        return hand.delta[i];
      });
      t.autodiff = lecture_ref::to_mat(s.grad_inputs[0].value());
    } else if (auto jt = z_layer.find(&s.node);
               jt != z_layer.end() && s.grad_inputs.size() > 1 && s.grad_inputs[1].defined()) {
      const std::size_t l = jt->second - 1;  // z(l+1) = [1 | a(l)] Θ(l)ᵀ: Δ(l)/n
      t.lecture = at("Delta", l);
      t.equation = at("Delta", l) + " = sum over examples of " + at("delta", l + 1) + " [1; " +
                   at("a", l) + "]'";
      t.slide = hand.Delta[l];
      t.autodiff = lecture_ref::to_mat(s.grad_inputs[1].value());
    }
    if (!t.lecture.empty()) {
      for (double& v : t.autodiff.v) v *= nd;
      t.max_abs_diff = diff(t.slide, t.autodiff);
    }
    steps.push_back(std::move(t));
  };
  backward({J}, {}, options);
  return steps;
}

}  // namespace xgrad
