#include "framework/record.h"

#include <atomic>
#include <mutex>
#include <set>

#include "framework/anomaly.h"
#include "framework/grad_mode.h"

namespace xgrad {

namespace {

std::atomic<bool> g_collect{false};
std::mutex g_names_mutex;
std::set<std::string>& names() {
  static std::set<std::string> s;
  return s;
}

template <class Inputs>
Tensor record_impl(std::string op, Array value, const Inputs& inputs, BackwardFn backward) {
  if (g_collect.load(std::memory_order_relaxed)) {
    std::lock_guard<std::mutex> lock(g_names_mutex);
    names().insert(op);
  }
  bool needs_grad = false;
  if (is_grad_enabled() && is_floating(value.dtype())) {
    for (const Tensor& t : inputs) {
      check_defined(op, t, "input");
      needs_grad = needs_grad || t.requires_grad();
    }
  }
  auto node = std::make_shared<Node>();
  node->value = std::move(value);
  node->seq = next_sequence_number();
  node->op = std::move(op);
  if (needs_grad) {
    node->requires_grad = true;
    node->interior = true;
    node->backward = std::move(backward);
    node->inputs.reserve(inputs.size());
    for (const Tensor& t : inputs) node->inputs.push_back({t.node(), t.node()->version});
    if (is_anomaly_enabled()) detail::on_record_anomaly(*node);
  }
  return Tensor(std::move(node));
}

}  // namespace

Tensor record(std::string op, Array value, std::initializer_list<Tensor> inputs,
              BackwardFn backward) {
  return record_impl(std::move(op), std::move(value), inputs, std::move(backward));
}

Tensor record(std::string op, Array value, const std::vector<Tensor>& inputs, BackwardFn backward) {
  return record_impl(std::move(op), std::move(value), inputs, std::move(backward));
}

void collect_op_names(bool on) { g_collect.store(on, std::memory_order_relaxed); }

std::vector<std::string> recorded_op_names() {
  std::lock_guard<std::mutex> lock(g_names_mutex);
  return {names().begin(), names().end()};
}

}  // namespace xgrad
