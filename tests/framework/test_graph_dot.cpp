// to_dot: the nodes and edges of a known graph, names, value and gradient
// summaries, scopes as clusters, and (when Graphviz is installed, as in CI)
// that `dot` parses the output.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "framework/factory.h"
#include "framework/graph_dot.h"
#include "framework/node.h"
#include "ops/arithmetic.h"
#include "ops/matmul.h"
#include "ops/sigmoid.h"
#include "ops/sum.h"
#include "tests/framework/temp_dir.h"

using namespace xgrad;

namespace {
std::set<std::string> matches(const std::string& text, const std::string& pattern) {
  std::set<std::string> out;
  std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it) {
    out.insert((*it)[1].str());
  }
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(framework_graph_dot_tests)

BOOST_AUTO_TEST_CASE(a_known_graph_gives_its_nodes_and_edges) {
  Tensor x = tensor({{1.0, 2.0}}, kFloat64);
  Tensor w = tensor({{0.5}, {-0.25}}, kFloat64).requires_grad_();
  Tensor b = tensor({0.1}, kFloat64).requires_grad_();
  Tensor z = matmul(x, w) + b;
  Tensor y = sum(sigmoid(z));
  y.backward(true);
  DotOptions o;
  o.names = {{w, "theta"}, {z, "z(2)"}};
  const std::string dot = to_dot(y, o);
  // Labels: op names in creation order, the names given, gradient of w.
  const std::set<std::string> labels = matches(dot, "label=\"([^\\\\\"]*)");
  BOOST_TEST(
      labels == (std::set<std::string>{"leaf  (1, 2) float64", "theta", "parameter  (1) float64",
                                       "matmul  (1, 1) float64", "z(2)", "sigmoid  (1, 1) float64",
                                       "sum  () float64"}),
      dot);
  // w's gradient x·σ'(z) (z = 0.1 + 0.5 - 0.5 = 0.1) is drawn under its value.
  const double s = 1 / (1 + std::exp(-0.1)), g = s * (1 - s);
  char want[64];
  std::snprintf(want, sizeof want, "grad [%.4g, %.4g]", g, 2 * g);
  BOOST_TEST(dot.find(want) != std::string::npos, dot);
  // Edges x->matmul, w->matmul, matmul->add, b->add, add->sigmoid, sigmoid->sum.
  const std::string id_x = "n" + std::to_string(x.node()->seq),
                    id_w = "n" + std::to_string(w.node()->seq);
  const std::string id_b = "n" + std::to_string(b.node()->seq),
                    id_z = "n" + std::to_string(z.node()->seq);
  const std::set<std::string> edges = matches(dot, "(n[0-9]+ -> n[0-9]+);");
  BOOST_TEST(edges.size() == 6u, dot);
  BOOST_TEST(edges.count(id_b + " -> " + id_z) == 1u, dot);
  const std::string id_mm = "n" + std::to_string(z.node()->inputs[0].node->seq);
  BOOST_TEST(edges.count(id_x + " -> " + id_mm) == 1u, dot);
  BOOST_TEST(edges.count(id_w + " -> " + id_mm) == 1u, dot);
  BOOST_TEST(edges.count(id_mm + " -> " + id_z) == 1u, dot);
}

BOOST_AUTO_TEST_CASE(scopes_become_clusters_and_values_are_summarised) {
  Tensor w = tensor({1.0, 2.0, 3.0, 4.0, 5.0}, kFloat64).requires_grad_();
  Tensor y;
  {
    GraphScope outer("encoder");
    GraphScope inner("0");
    y = w * 2.0;
  }
  Tensor loss = sum(y);
  const std::string dot = to_dot(loss);
  BOOST_TEST(dot.find("subgraph cluster_0 {\n    label=\"encoder.0\";") != std::string::npos, dot);
  BOOST_TEST(dot.find("value min 2  mean 6  max 10") != std::string::npos, dot);
  BOOST_TEST(current_graph_scope() == nullptr);
}

// Label lines are joined by DOT's \n escape: one backslash, so Graphviz
// breaks the line (two would print a backslash and an n); a name's own
// quotes and backslashes are escaped.
BOOST_AUTO_TEST_CASE(label_lines_break_and_names_are_escaped) {
  Tensor w = tensor({1.0, -2.0}, kFloat64).requires_grad_();
  Tensor y = sigmoid(w);
  DotOptions o;
  o.names = {{w, "a \"b\" \\c"}};
  const std::string dot = to_dot(y, o);
  BOOST_TEST(dot.find("\\\\n") == std::string::npos, dot);
  BOOST_TEST(dot.find("label=\"a \\\"b\\\" \\\\c\\nparameter  (2) float64\\nvalue [1, -2]") !=
                 std::string::npos,
             dot);
}

BOOST_AUTO_TEST_CASE(graphviz_parses_the_output) {
  Tensor w = tensor({{1.0, -2.0}, {0.5, 3.0}}, kFloat64).requires_grad_();
  Tensor loss = sum(sigmoid(matmul(w, w)));
  loss.backward(true);
  const std::string path = (xgrad::testing::temp_dir("graph_dot") / "g.dot").string();
  std::ofstream(path) << to_dot(loss);
  // CI installs Graphviz (tools/setup.sh); the test requires it.
  const std::string cmd = "dot -Tsvg '" + path + "' -o '" + path + ".svg' 2>&1";
  BOOST_TEST(std::system(cmd.c_str()) == 0, "dot rejected " << path);
  std::ifstream svg(path + ".svg");
  std::string first;
  std::getline(svg, first);
  BOOST_TEST(first.find("<?xml") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
