#include "framework/graph_dot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "framework/node.h"
#include "framework/record.h"

namespace xgrad {

namespace {

thread_local const char* t_scope = nullptr;

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// "[1, 2, 3]" for a few elements, "min -1.2  mean 0.03  max 2.4" otherwise.
std::string summary(const Array& a, std::size_t max_elements) {
  if (!a.defined()) return "";
  const std::size_t n = a.size();
  if (n == 0) return "(empty)";
  if (n <= max_elements) {
    std::string s = "[";
    for (std::size_t i = 0; i < n; ++i) s += (i ? ", " : "") + number(a.at(i));
    return s + "]";
  }
  double lo = a.at(0), hi = a.at(0), total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = a.at(i);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    total += v;
  }
  return "min " + number(lo) + "  mean " + number(total / double(n)) + "  max " + number(hi);
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

GraphScope::GraphScope(const std::string& name) : previous_(t_scope) {
  t_scope = detail::intern_op_name(previous_ ? std::string(previous_) + "." + name : name);
}

GraphScope::~GraphScope() { t_scope = previous_; }

const char* current_graph_scope() { return t_scope; }

std::string to_dot(const std::vector<Tensor>& roots, const DotOptions& o) {
  // Every node behind the roots (explicit stack: graphs may be deep).
  std::vector<const Node*> nodes;
  std::unordered_set<const Node*> seen;
  std::vector<const Node*> stack;
  for (const Tensor& r : roots) {
    if (r.defined() && seen.insert(r.node().get()).second) stack.push_back(r.node().get());
  }
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
  const std::size_t dropped = nodes.size() > o.max_nodes ? nodes.size() - o.max_nodes : 0;
  nodes.erase(nodes.begin(), nodes.begin() + std::ptrdiff_t(dropped));
  std::unordered_set<const Node*> kept(nodes.begin(), nodes.end());
  std::unordered_map<const Node*, std::string> names;
  for (const auto& [t, name] : o.names) {
    if (t.defined()) names[t.node().get()] = name;
  }

  std::ostringstream os;
  os << "digraph xgrad {\n  rankdir=TB;\n  node [fontname=\"monospace\", fontsize=10];\n";
  std::string title = o.title;
  if (dropped) {
    title += (title.empty() ? "" : " ") + std::string("(") + std::to_string(dropped) +
             " older nodes not shown)";
  }
  if (!title.empty()) os << "  label=\"" << escape(title) << "\";\n  labelloc=t;\n";
  std::map<std::string, std::vector<std::string>> clusters;  // scope -> its nodes' lines
  for (const Node* n : nodes) {
    // Lines joined by DOT's "\n" escape after each is escaped (escaping the
    // joined label would turn "\n" into a literal backslash and n).
    std::string label;
    auto it = names.find(n);
    if (it != names.end()) label += escape(it->second) + "\\n";
    label += escape(std::string(n->interior ? n->op : (n->requires_grad ? "parameter" : "leaf")) +
                    "  " + format_shape(n->value.defined() ? n->value.shape() : Shape{}) + " " +
                    (n->value.defined() ? dtype_name(n->value.dtype()) : ""));
    if (o.values && n->value.defined()) label += "\\nvalue " + summary(n->value, o.max_elements);
    if (o.grads && n->grad.defined()) label += "\\ngrad " + summary(n->grad, o.max_elements);
    const char* shape = n->interior ? "box" : "ellipse";
    const char* fill =
        !n->interior && n->requires_grad ? ", style=filled, fillcolor=\"#dbe8f7\"" : "";
    const char* bold = it != names.end() ? ", penwidth=2" : "";
    std::ostringstream line;
    line << "n" << n->seq << " [label=\"" << label << "\", shape=" << shape << fill << bold << "];";
    if (n->scope) {
      clusters[n->scope].push_back(line.str());  // drawn inside its scope's cluster
    } else {
      os << "  " << line.str() << "\n";
    }
  }
  std::size_t k = 0;
  for (const auto& [scope, lines] : clusters) {
    os << "  subgraph cluster_" << k++ << " {\n    label=\"" << escape(scope)
       << "\";\n    style=rounded;\n    color=\"#999999\";\n";
    for (const std::string& line : lines) os << "    " << line << "\n";
    os << "  }\n";
  }
  for (const Node* n : nodes) {
    for (const Edge& e : n->inputs) {
      if (kept.count(e.node.get())) os << "  n" << e.node->seq << " -> n" << n->seq << ";\n";
    }
  }
  os << "}\n";
  return os.str();
}

}  // namespace xgrad
