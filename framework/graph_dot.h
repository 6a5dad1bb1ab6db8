// Seeing the graph: the recorded graph behind tensors as Graphviz DOT.
//
//   Tensor loss = ...;
//   loss.backward(true);                       // retain_graph: keep it to draw
//   DotOptions o;
//   o.names = {{w, "fc1.weight"}, {h, "a(2)"}};
//   write_file("graph.dot", to_dot(loss, o));  // dot -Tsvg graph.dot > graph.svg
//
// One node per op or leaf: its op name, shape and dtype, a summary of its
// value and of its gradient (min / mean / max, or the values themselves
// when there are few), and a name where `names` gives one (parameters,
// lecture quantities). Edges run in data-flow order, input -> op. Nodes
// recorded inside a GraphScope (a Module's forward opens one per module)
// are drawn in a cluster per scope, so a graph of thousands of nodes reads
// as its modules; past `max_nodes` the oldest nodes are left out and the
// drop is said in the graph's label.
// A graph freed by backward() (no retain_graph) has no edges left: draw it
// before backward, or keep it with retain_graph.
// Thread safety: reads the graph; do not change it while drawing.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "framework/tensor.h"

namespace xgrad {

struct DotOptions {
  bool values = true;             // summarise each node's value
  bool grads = true;              // and its gradient, where it holds one
  std::size_t max_elements = 4;   // show the elements themselves up to this many
  std::size_t max_nodes = 5000;   // keep the youngest this many nodes
  std::vector<std::pair<Tensor, std::string>> names;  // labels for chosen tensors
  std::string title;
};

std::string to_dot(const std::vector<Tensor>& roots, const DotOptions& options = {});
inline std::string to_dot(const Tensor& root, const DotOptions& options = {}) {
  return to_dot(std::vector<Tensor>{root}, options);
}

// Ops recorded while a GraphScope lives carry its name (nested scopes join
// with '.': "encoder.0.fc1"); to_dot clusters them. Thread-local; costs one
// thread-local read per recorded op when no scope is open.
class GraphScope {
 public:
  explicit GraphScope(const std::string& name);
  ~GraphScope();
  GraphScope(const GraphScope&) = delete;
  GraphScope& operator=(const GraphScope&) = delete;

 private:
  const char* previous_;
};

// The scope ops are recorded in now (nullptr outside any scope).
const char* current_graph_scope();

}  // namespace xgrad
