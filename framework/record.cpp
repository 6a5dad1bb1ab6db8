#include "framework/record.h"

#include "framework/grad_mode.h"

namespace xgrad {

namespace {
template <class Inputs>
Tensor record_impl(std::string op, Array value, const Inputs& inputs, BackwardFn backward) {
  bool needs_grad = false;
  if (is_grad_enabled()) {
    for (const Tensor& t : inputs) {
      check_defined(op, t, "input");
      needs_grad = needs_grad || t.requires_grad();
    }
  }
  auto node = std::make_shared<Node>();
  node->value = std::move(value);
  node->op = std::move(op);
  node->seq = next_sequence_number();
  if (needs_grad) {
    node->requires_grad = true;
    node->interior = true;
    node->backward = std::move(backward);
    node->inputs.reserve(inputs.size());
    for (const Tensor& t : inputs) node->inputs.push_back(t.node());
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

void check_defined(const std::string& op, const Tensor& t, const char* name) {
  if (!t.defined()) throw GraphError(op + ": " + name + " is an undefined tensor");
}

void check_same_dtype(const std::string& op, const Tensor& a, const Tensor& b, const char* name_a,
                      const char* name_b) {
  check_defined(op, a, name_a);
  check_defined(op, b, name_b);
  if (a.dtype() != b.dtype()) {
    throw DTypeError(op + ": dtypes must match: " + name_a + " " + dtype_name(a.dtype()) + ", " +
                     name_b + " " + dtype_name(b.dtype()));
  }
}

}  // namespace xgrad
