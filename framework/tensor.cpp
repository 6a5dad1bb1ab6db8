#include "framework/tensor.h"

#include <ostream>

#include "framework/engine.h"
#include "framework/grad_mode.h"

namespace xgrad {

Tensor::Tensor(Array value, bool requires_grad) : node_(std::make_shared<Node>()) {
  if (!value.defined()) throw GraphError("Tensor: cannot make a tensor from an undefined array");
  node_->value = std::move(value);
  node_->seq = next_sequence_number();
  node_->requires_grad = requires_grad;
}

const Node& Tensor::checked_node() const {
  if (!node_) throw GraphError("Tensor: use of an undefined tensor");
  return *node_;
}

const Array& Tensor::value() const { return checked_node().value; }

const std::string& Tensor::op() const { return checked_node().op; }

bool Tensor::requires_grad() const { return checked_node().requires_grad; }

bool Tensor::is_leaf() const { return checked_node().is_leaf(); }

Tensor& Tensor::requires_grad_(bool requires_grad) {
  if (!checked_node().is_leaf()) {
    throw GraphError("requires_grad_: only a leaf can change requires_grad; '" + node_->op +
                     "' is the output of an op (use detach() first)");
  }
  node_->requires_grad = requires_grad;
  return *this;
}

const Array& Tensor::grad() const {
  const Node& n = checked_node();
  if (!n.requires_grad) {
    throw GraphError("grad: this tensor (op '" + n.op + "', shape " +
                     format_shape(n.value.shape()) +
                     ") does not require grad, so it has no gradient");
  }
  if (!n.grad.defined()) {
    if (n.interior && !n.retains_grad) {
      throw GraphError("grad: '" + n.op +
                       "' is an intermediate tensor; call retain_grad() on it before backward() "
                       "to keep its gradient");
    }
    throw GraphError("grad: no gradient yet for this tensor (op '" + n.op +
                     "'): call backward() first");
  }
  return n.grad;
}

bool Tensor::has_grad() const { return checked_node().grad.defined(); }

void Tensor::zero_grad() {
  checked_node();
  node_->grad = Array();
}

void Tensor::retain_grad() {
  checked_node();
  if (!node_->requires_grad) {
    throw GraphError("retain_grad: this tensor (op '" + node_->op + "') does not require grad");
  }
  node_->retains_grad = true;
}

void Tensor::backward(bool retain_graph) const { run_backward(*this, nullptr, retain_graph); }

void Tensor::backward(const Array& grad_out, bool retain_graph) const {
  run_backward(*this, &grad_out, retain_graph);
}

Tensor Tensor::detach() const { return Tensor(value(), false); }

Array& Tensor::mutable_value() {
  if (!checked_node().is_leaf()) {
    throw GraphError("mutable_value: '" + node_->op +
                     "' is the output of an op; only leaves may be updated in place");
  }
  return node_->value;
}

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
  if (!t.defined()) return os << "Tensor(undefined)";
  os << "Tensor(shape=" << format_shape(t.shape()) << ", dtype=" << dtype_name(t.dtype())
     << ", requires_grad=" << (t.requires_grad() ? "true" : "false") << ", op=" << t.op() << ")\n";
  print_values(os, t.value());
  return os;
}

}  // namespace xgrad
