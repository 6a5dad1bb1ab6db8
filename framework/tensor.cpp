#include "framework/tensor.h"

#include <atomic>
#include <ostream>

#include "framework/engine.h"
#include "framework/grad_mode.h"
#include "framework/node.h"
#include "framework/record.h"

namespace xgrad {

namespace {
std::atomic<std::uint64_t> g_hook_ids{0};

void check_can_require_grad(const char* what, DType dtype) {
  if (!is_floating(dtype)) {
    throw_dtype_error(what, "only floating-point tensors can require gradients", "tensor", dtype);
  }
}
}  // namespace

Tensor::Tensor(Array value, bool requires_grad) : node_(std::make_shared<Node>()) {
  if (!value.defined()) throw GraphError("Tensor: cannot make a tensor from an undefined array");
  if (requires_grad) check_can_require_grad("Tensor", value.dtype());
  node_->value = std::move(value);
  node_->seq = next_sequence_number();
  node_->requires_grad = requires_grad;
}

const Node& Tensor::checked_node() const {
  if (!node_) throw GraphError("Tensor: use of an undefined tensor");
  return *node_;
}

const Array& Tensor::value() const { return checked_node().value; }

std::string Tensor::op() const { return checked_node().op; }

bool Tensor::requires_grad() const { return checked_node().requires_grad; }

bool Tensor::is_leaf() const { return checked_node().is_leaf(); }

Tensor& Tensor::requires_grad_(bool requires_grad) {
  if (!checked_node().is_leaf()) {
    throw GraphError("requires_grad_: only a leaf can change requires_grad; '" + std::string(node_->op) +
                     "' is the output of an op (use detach() first)");
  }
  if (requires_grad) check_can_require_grad("requires_grad_", node_->value.dtype());
  node_->requires_grad = requires_grad;
  return *this;
}

const Array& Tensor::grad() const {
  const Node& n = checked_node();
  if (!n.requires_grad) {
    throw GraphError("grad: this tensor (op '" + std::string(n.op) + "', shape " +
                     format_shape(n.value.shape()) +
                     ") does not require grad, so it has no gradient");
  }
  if (!n.grad.defined()) {
    if (n.interior && !n.retains_grad) {
      throw GraphError("grad: '" + std::string(n.op) +
                       "' is an intermediate tensor; call retain_grad() on it before backward() "
                       "to keep its gradient");
    }
    throw GraphError("grad: no gradient yet for this tensor (op '" + std::string(n.op) +
                     "'): call backward() first");
  }
  return n.grad;
}

bool Tensor::has_grad() const {
  const Node& n = checked_node();
  return n.requires_grad && n.grad.defined();
}

void Tensor::zero_grad() {
  checked_node();
  node_->grad = Array();
}

void Tensor::retain_grad() {
  checked_node();
  if (!node_->requires_grad) {
    throw GraphError("retain_grad: this tensor (op '" + std::string(node_->op) + "') does not require grad");
  }
  node_->retains_grad = true;
}

void Tensor::backward(bool retain_graph) const {
  BackwardOptions options;
  options.retain_graph = retain_graph;
  xgrad::backward({*this}, {}, options);
}

void Tensor::backward(const Array& grad_out, bool retain_graph) const {
  BackwardOptions options;
  options.retain_graph = retain_graph;
  xgrad::backward({*this}, {Tensor(grad_out)}, options);
}

HookHandle Tensor::register_hook(TensorHook hook) {
  if (!checked_node().requires_grad) {
    throw GraphError("register_hook: this tensor (op '" + std::string(node_->op) +
                     "') does not require grad, so no gradient will reach the hook");
  }
  const std::uint64_t id = ++g_hook_ids;
  node_->extra().hooks.push_back({id, std::move(hook)});
  return HookHandle(node_, id);
}

HookHandle Tensor::register_post_accumulate_grad_hook(std::function<void(const Tensor&)> hook) {
  if (!checked_node().requires_grad || !node_->is_leaf()) {
    throw GraphError("register_post_accumulate_grad_hook: only a leaf that requires grad "
                     "accumulates a gradient (op '" +
                     std::string(node_->op) + "')");
  }
  const std::uint64_t id = ++g_hook_ids;
  node_->extra().post_accumulate_hooks.push_back({id, std::move(hook)});
  return HookHandle(node_, id);
}

void HookHandle::remove() {
  NodePtr node = node_.lock();
  if (!node || !node->extras) return;
  auto& hooks = node->extras->hooks;
  hooks.erase(std::remove_if(hooks.begin(), hooks.end(), [&](const auto& h) { return h.id == id_; }),
              hooks.end());
  auto& post = node->extras->post_accumulate_hooks;
  post.erase(std::remove_if(post.begin(), post.end(), [&](const auto& h) { return h.id == id_; }),
             post.end());
}

Tensor Tensor::detach() const { return Tensor(value(), false); }

Tensor Tensor::to(DType dtype) const {
  check_defined("to", *this, "input");
  if (dtype == this->dtype()) return *this;
  const DType from = this->dtype();
  return record("to", value().to(dtype), {*this}, [from](const Node&, const Tensor& g) {
    return Grads{g.to(from)};
  });
}

Array& Tensor::mutable_value() {
  if (!checked_node().is_leaf()) {
    throw GraphError("mutable_value: '" + std::string(node_->op) +
                     "' is the output of an op; only leaves may be updated in place");
  }
  ++node_->version;
  return node_->value;
}

std::uint32_t Tensor::version() const { return checked_node().version; }

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
  if (!t.defined()) return os << "Tensor(undefined)";
  os << "Tensor(shape=" << format_shape(t.shape()) << ", dtype=" << dtype_name(t.dtype())
     << ", requires_grad=" << (t.requires_grad() ? "true" : "false") << ", op=" << t.op() << ")\n";
  print_values(os, t.value());
  return os;
}

}  // namespace xgrad
