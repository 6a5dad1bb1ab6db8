#include "framework/record.h"

#include <atomic>
#include <mutex>
#include <set>

#include "framework/anomaly.h"
#include "framework/engine.h"
#include "framework/graph_dot.h"
#include "framework/grad_mode.h"

namespace xgrad {

namespace {

std::atomic<bool> g_collect{false};
std::mutex g_names_mutex;
std::set<std::string>& names() {
  static std::set<std::string> s;
  return s;
}

}  // namespace

namespace detail {

const char* intern_op_name(const std::string& name) {
  static std::mutex mutex;
  static std::set<std::string> interned;  // std::set nodes never move: c_str() stays valid
  std::lock_guard<std::mutex> lock(mutex);
  return interned.insert(name).first->c_str();
}

NodePtr make_result(const char* op, Array value, const Tensor* inputs, std::size_t n,
                    bool& recording) {
  if (g_collect.load(std::memory_order_relaxed)) {
    std::lock_guard<std::mutex> lock(g_names_mutex);
    names().insert(op);
  }
  recording = false;
  if (is_grad_enabled() && is_floating(value.dtype())) {
    for (std::size_t i = 0; i < n; ++i) {
      check_defined(op, inputs[i], "input");
      recording = recording || inputs[i].requires_grad();
    }
  }
  auto node = std::make_shared<Node>();
  node->value = std::move(value);
  node->seq = next_sequence_number();
  node->op = op;
  if (recording) {
    node->scope = current_graph_scope();
    node->requires_grad = true;
    node->interior = true;
    node->inputs.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      node->inputs.push_back({inputs[i].node(), inputs[i].node()->version});
    }
  }
  return node;
}

void finish_record(Node& node) {
  if (is_anomaly_enabled()) on_record_anomaly(node);
}

}  // namespace detail

// Note [Fused ops]. The gradient of a fused op is the vector-Jacobian
// product of its composite, taken on stand-ins for its inputs: partial
// derivatives, so an input that depends on another (on the outer graph) is
// still treated as an independent argument. Under create_graph the
// stand-ins are identity ops on the real inputs, so the result stays on the
// graph; the nested grad() touches only the stand-ins and the composite's
// own nodes (every node older than its targets is skipped), never the
// outer pass's pending gradients. Without create_graph (a first-order
// backward through a recorded gradient op, as gradcheck does) the
// stand-ins are fresh leaves holding copies of the inputs.
Tensor record_fused(const char* op, Array value, std::vector<Tensor> inputs,
                    CompositeFn composite) {
  return record(op, std::move(value), inputs,
                [composite = std::move(composite)](const Node& node, const Tensor& g) {
                  const bool create = is_grad_enabled();
                  AutoGradMode recording(true);
                  std::vector<Tensor> stand_ins, targets;
                  std::vector<std::size_t> target_of;
                  for (std::size_t i = 0; i < node.inputs.size(); ++i) {
                    const bool want = node.needs_grad(i);
                    Tensor s = create && want ? identity(node.input(i))
                                              : Tensor(node.input_value(i), want);
                    if (want) {
                      targets.push_back(s);
                      target_of.push_back(i);
                    }
                    stand_ins.push_back(std::move(s));
                  }
                  Grads out(node.inputs.size());
                  if (targets.empty()) return out;
                  const Tensor y = composite(stand_ins);
                  std::vector<Tensor> gs = grad({y}, targets, {g}, create, create, true);
                  for (std::size_t k = 0; k < targets.size(); ++k) out[target_of[k]] = gs[k];
                  return out;
                });
}

Tensor identity(const Tensor& x) {
  check_float("identity", x);
  return record("identity", x.value(), {x},
                [](const Node&, const Tensor& g) { return Grads{g}; });
}

void collect_op_names(bool on) { g_collect.store(on, std::memory_order_relaxed); }

std::vector<std::string> recorded_op_names() {
  std::lock_guard<std::mutex> lock(g_names_mutex);
  return {names().begin(), names().end()};
}

}  // namespace xgrad
