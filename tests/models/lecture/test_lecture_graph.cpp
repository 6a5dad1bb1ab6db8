// The lecture network's graph with the slide's names, and its backward
// stepped through in the engine's order beside the hand-computed δ and Δ.
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "framework/graph_dot.h"
#include "models/lecture/lecture_graph.h"
#include "tests/framework/temp_dir.h"

using namespace xgrad;

namespace {

struct Example {
  Generator gen{7};
  LectureNetwork net{{3, 5, 4, 2}, gen, kFloat64, 1.0};
  Tensor X{gen.normal({4, 3}, 0.0, 1.0, kFloat64)};
  Tensor Y{[] {
    Array y = Array::zeros({4, 2}, kFloat64);
    for (std::size_t i = 0; i < 4; ++i) y.set(i * 2 + i % 2, 1.0);
    return y;
  }()};
};

}  // namespace

BOOST_AUTO_TEST_SUITE(models_lecture_lecture_graph_tests)

// The engine visits the newest node first: the cost, then a(4)'s sigmoid
// (δ(4)), z(4)'s product (Δ(3)), [1 | a(3)], a(3)'s sigmoid (δ(3)), ...
BOOST_AUTO_TEST_CASE(trace_follows_the_engine_and_matches_the_slides) {
  Example e;
  const std::vector<LectureTraceStep> steps = trace_backward(e.net, e.X, e.Y);
  std::vector<std::string> lecture, outputs;
  for (const LectureTraceStep& s : steps) {
    if (!s.lecture.empty()) lecture.push_back(s.lecture);
    outputs.push_back(s.output);
    if (!s.lecture.empty()) BOOST_TEST(s.max_abs_diff < 1e-12, s.lecture << " " << s.max_abs_diff);
  }
  BOOST_TEST(lecture == (std::vector<std::string>{"delta(4)", "Delta(3)", "delta(3)", "Delta(2)",
                                                  "delta(2)", "Delta(1)"}));
  // Every op of the pass, newest first; [1 | x] needs no gradient and is not visited.
  BOOST_TEST(outputs == (std::vector<std::string>{"J", "CE", "a(4)", "z(4)", "[1 | a(3)]", "a(3)",
                                                  "z(3)", "[1 | a(2)]", "a(2)", "z(2)"}),
             [&] {
               std::string s;
               for (const auto& o : outputs) s += "'" + o + "' ";
               return s;
             }());
  // The sigmoid's incoming gradient is dJ/da(4), its outgoing one δ(4)/n:
  // (a − y)/(a(1 − a))/n in, (a − y)/n out.
  const LectureTraceStep& a4 = steps[2];
  BOOST_TEST(a4.op == "sigmoid");
  BOOST_TEST(a4.inputs == (std::vector<std::string>{"z(4)"}));
  const Array h = e.net.forward_layers(e.X).output().value();
  for (std::size_t k = 0; k < 8; ++k) {
    const double a = h.at(k), y = e.Y.value().at(k);
    BOOST_TEST(std::abs(a4.grad_out.at(k) - (a - y) / (a * (1 - a)) / 4) < 1e-12);
    BOOST_TEST(std::abs(a4.grad_inputs[0].at(k) - (a - y) / 4) < 1e-12);
  }
  BOOST_TEST(a4.equation == "delta(4) = a(4) - y");
}

BOOST_AUTO_TEST_CASE(dot_names_every_lecture_quantity) {
  Example e;
  LectureActivations act = e.net.forward_layers(e.X);
  for (std::size_t l = 2; l <= 4; ++l) act.z[l].retain_grad();
  Tensor J = lecture_cost(act, e.Y);
  J.backward(true);
  DotOptions o;
  o.names = lecture_names(e.net, act, J);
  const std::string dot = to_dot(J, o);
  for (const char* want :
       {"J = CE / n", "[1 | a(1)]", "Θ(1) = theta1   grad: Δ(1)/n", "z(2)   grad: δ(2)/n",
        "a(3) = g(z(3))", "a(4) = g(z(4)) = h(x)", "[1 | a(2)]", "Θ(3) = theta3   grad: Δ(3)/n",
        "label=\"CE\\n", "label=\"y\\n", "label=\"1 (the bias unit)\\n"}) {
    BOOST_TEST(dot.find(want) != std::string::npos, want);
  }
  // Θ(1) feeds z(2): an edge from the node named Θ(1) to the node named z(2).
  auto id_of = [&](const std::string& label) {
    const std::size_t at = dot.find("[label=\"" + label);
    BOOST_TEST_REQUIRE(at != std::string::npos, label);
    const std::size_t start = dot.rfind('n', at);
    return dot.substr(start, at - 1 - start);
  };
  const std::string theta1 = id_of("Θ(1)"), z2 = id_of("z(2)");
  BOOST_TEST(dot.find(theta1 + " -> " + z2 + ";") != std::string::npos, dot);
  const std::string path = (xgrad::testing::temp_dir("lecture_graph") / "g.dot").string();
  std::ofstream(path) << dot;
  const std::string cmd = "dot -Tsvg '" + path + "' -o '" + path + ".svg' 2>&1";
  BOOST_TEST(std::system(cmd.c_str()) == 0, "dot rejected " << path);
}

BOOST_AUTO_TEST_SUITE_END()
