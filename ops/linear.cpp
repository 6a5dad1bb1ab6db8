#include "ops/linear.h"

#include <algorithm>

#include "framework/broadcast.h"
#include "framework/record.h"
#include "ops/expand.h"
#include "ops/kernels/gemm.h"
#include "ops/matmul.h"

namespace xgrad {

namespace {
void check_shapes(const Tensor& x, const Tensor& w, const Tensor& b) {
  const char* op = "linear";
  check_same_dtype(op, x, w, "input", "weight");
  if (w.dim() != 2) throw_shape_error(op, "weight must be 2-D (out, in)", "weight", w.shape());
  if (x.dim() != 2 || x.shape()[1] != w.shape()[1]) {
    throw_shape_error(op, "input must be (N, in) with in = weight columns", "input", x.shape(),
                      "weight", w.shape());
  }
  if (b.defined()) {
    check_same_dtype(op, x, b, "input", "bias");
    if (b.dim() != 1 || b.shape()[0] != w.shape()[0]) {
      throw_shape_error(op, "bias must be (out) with out = weight rows", "bias", b.shape(),
                        "weight", w.shape());
    }
  }
}
}  // namespace

Tensor linear(const Tensor& x, const Tensor& w, const Tensor& b) {
  check_shapes(x, w, b);
  const std::size_t n = x.shape()[0], in = x.shape()[1], out = w.shape()[0];
  Array y = Array::empty({n, out}, x.dtype());
  dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* py = y.data<T>();
    if (b.defined()) {  // y = b broadcast over rows, then y += x · Wᵀ
      const T* pb = b.value().data<T>();
      for (std::size_t r = 0; r < n; ++r) std::copy_n(pb, out, py + r * out);
    }
    kernels::gemm<T>(false, true, n, out, in, T(1), x.value().data<T>(), in, w.value().data<T>(),
                     in, b.defined() ? T(1) : T(0), py, out);
  });
  std::vector<Tensor> inputs{x, w};
  if (b.defined()) inputs.push_back(b);
  return record("linear", std::move(y), inputs, [out](const Node& node, const Tensor& dy) {
    Grads g(node.inputs.size());
    if (node.needs_grad(0)) g[0] = matmul_t(dy, node.input(1), false, false);  // dx = dy · W
    if (node.needs_grad(1)) g[1] = matmul_t(dy, node.input(0), true, false);   // dW = dyᵀ · x
    if (g.size() == 3 && node.needs_grad(2)) g[2] = sum_to_size(dy, {out});    // db = Σ dy
    return g;
  });
}

}  // namespace xgrad
