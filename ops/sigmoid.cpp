#include "ops/sigmoid.h"

#include "framework/array_map.h"
#include "framework/record.h"
#include "ops/arithmetic.h"
#include "ops/kernels/vector_math.h"

namespace xgrad {

Tensor sigmoid(const Tensor& x) {
  check_float("sigmoid", x);
  Array y;
  if (x.dtype() == kFloat32) {  // vectors of exp (Note [Vector exp], ops/kernels/vector_math.h)
    y = Array::empty(x.shape(), kFloat32);
    const float* px = x.value().data<float>();
    float* py = y.data<float>();
    // 16 exps per call make it as cheap per element as plain arithmetic: the elementwise
    // grain (the MLP's 64x256 ran slower split in two; its step 1.03x faster serial)
    parallel_for(0, x.size(), kElementwiseGrain, [&](std::size_t b, std::size_t e) {
      kernels::sigmoid_f32(px + b, py + b, e - b);
    });
  } else {
    y = map<kTranscendentalGrain>(x.value(), [](auto v) { return kernels::sigmoid(v); });
  }
  return record("sigmoid", std::move(y), {x}, [](const Node& out, const Tensor& dy) {
    return Grads{sigmoid_backward(dy, out.output())};
  });
}

Tensor sigmoid_backward(const Tensor& dy, const Tensor& y) {
  check_same_dtype("sigmoid_backward", dy, y, "gradient", "output");
  if (dy.shape() != y.shape()) {
    throw_shape_error("sigmoid_backward", "shapes must match", "gradient", dy.shape(), "output",
                      y.shape());
  }
  Array dx = map(dy.value(), y.value(), [](auto g, auto v) { return g * v * (1 - v); });  // L7
  return record("sigmoid_backward", std::move(dx), {dy, y}, [](const Node& out, const Tensor& g) {
    const Tensor dy = out.input(0), y = out.input(1);
    return Grads{out.needs_grad(0) ? sigmoid_backward(g, y) : Tensor(),
                 out.needs_grad(1) ? mul(mul(g, dy), rsub(1.0, mul(y, 2.0))) : Tensor()};
  });
}

}  // namespace xgrad
