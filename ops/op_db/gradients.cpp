// op_db entries: the gradient ops, the ops that backward functions are made
// of (Note [Differentiable backward] in framework/node.h). Each is checked
// like any op, so its own backward (what a second derivative runs) is
// gradchecked too. The public ones are called directly; those private to
// an op (max pooling's scatter and select, avg pooling's adjoint) are
// reached through the op's vector-Jacobian product (its backward) and
// Jacobian-vector product (the backward of its backward), taken with
// create_graph at a fixed input x.
#include "framework/engine.h"
#include "framework/grad_mode.h"
#include "ops/activations.h"
#include "ops/avg_pool2d.h"
#include "ops/binary_cross_entropy.h"
#include "ops/conv2d.h"
#include "ops/embedding.h"
#include "ops/index_select.h"
#include "ops/max_pool2d.h"
#include "ops/normalization.h"
#include "ops/op_db.h"
#include "ops/op_db/samples.h"
#include "ops/relu.h"
#include "ops/sigmoid.h"
#include "ops/slice.h"
#include "ops/softmax.h"
#include "ops/softmax_cross_entropy.h"
#include "ops/tanh.h"
#include "ops/upsample.h"

namespace xgrad {

namespace {

using V = std::vector<Tensor>;
using samples::normal;

// u -> uᵀ J_op(x): the op's backward applied to u (inputs {x, u}; x fixed).
OpFn vjp_of(Tensor (*op)(const Tensor&, const Pool2dOptions&), Pool2dOptions o) {
  return [op, o](const V& in) {
    AutoGradMode on(true);  // also under gradcheck's NoGradGuard: the product is a graph
    Tensor x(in[0].value(), true);
    return grad({op(x, o)}, {x}, {in[1]}, true, true)[0];
  };
}

// v -> J_op(x) v: the backward of the op's backward applied to v
// (double-backward trick, inputs {x, v}; x fixed).
OpFn jvp_of(Tensor (*op)(const Tensor&, const Pool2dOptions&), Pool2dOptions o) {
  return [op, o](const V& in) {
    AutoGradMode on(true);
    Tensor x(in[0].value(), true);
    Tensor y = op(x, o);
    Tensor u(Array::zeros(y.shape(), y.dtype()), true);
    Tensor g = grad({y}, {x}, {u}, true, true)[0];
    return grad({g}, {u}, {in[1]}, true, true)[0];
  };
}

void add_pool_gradients(OpList& ops) {
  const Pool2dOptions o(3, 2, 1);  // overlapping windows: scatters add
  auto pool_samples = [](bool distinct) {
    return [distinct](Generator& g) {
      Tensor x = distinct ? samples::distinct({2, 2, 5, 6}, g) : normal({2, 2, 5, 6}, g);
      return std::vector<OpSample>{
          {"x (2, 2, 5, 6), dy (2, 2, 3, 3)", {x, normal({2, 2, 3, 3}, g)}}};
    };
  };
  auto input_samples = [](bool distinct) {
    return [distinct](Generator& g) {
      Tensor x = distinct ? samples::distinct({2, 2, 5, 6}, g) : normal({2, 2, 5, 6}, g);
      return std::vector<OpSample>{
          {"x (2, 2, 5, 6), v (2, 2, 5, 6)", {x, normal({2, 2, 5, 6}, g)}}};
    };
  };
  ops.push_back({"max_pool2d_backward", vjp_of(max_pool2d, o), pool_samples(true), {1}});
  ops.push_back({"max_pool2d_select", jvp_of(max_pool2d, o), input_samples(true), {1}});
  ops.push_back({"avg_pool2d_backward", vjp_of(avg_pool2d, o), pool_samples(false), {1}});
}

}  // namespace

void add_gradient_ops(OpList& ops) {
  ops.push_back({"relu_backward", [](const V& x) { return relu_backward(x[0], x[1]); },
                 [](Generator& g) {  // y away from 0: the mask stays put under a step
                   return std::vector<OpSample>{
                       {"(3, 4)", {normal({3, 4}, g), samples::away_from_zero({3, 4}, g)}}};
                 }});
  ops.push_back({"sigmoid_backward", [](const V& x) { return sigmoid_backward(x[0], x[1]); },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(2, 3)", {normal({2, 3}, g), samples::uniform({2, 3}, 0.05, 0.95, g)}}};
                 }});
  ops.push_back({"tanh_backward", [](const V& x) { return tanh_backward(x[0], x[1]); },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(2, 3)", {normal({2, 3}, g), samples::uniform({2, 3}, -0.95, 0.95, g)}}};
                 }});
  auto softmax_samples = [](Generator& g) {
    Tensor y;
    {
      NoGradGuard no_grad;
      y = softmax(normal({3, 4}, g));
    }
    return std::vector<OpSample>{{"(3, 4) axis -1", {normal({3, 4}, g), y}}};
  };
  ops.push_back({"softmax_backward", [](const V& x) { return softmax_backward(x[0], x[1]); },
                 softmax_samples});
  ops.push_back({"log_softmax_backward",
                 [](const V& x) { return log_softmax_backward(x[0], x[1], 0); },
                 [](Generator& g) {
                   Tensor y;
                   {
                     NoGradGuard no_grad;
                     y = log_softmax(normal({3, 4}, g), 0);
                   }
                   return std::vector<OpSample>{{"(3, 4) axis 0", {normal({3, 4}, g), y}}};
                 }});
  ops.push_back(
      {"slice_backward",
       [](const V& x) {
         return slice_backward(x[0], {2, 5, 3}, 1, 2);
       },
       [](Generator& g) {
         return std::vector<OpSample>{{"(2, 2, 3) into (2, 5, 3) at 2", {normal({2, 2, 3}, g)}}};
       }});
  const Conv2dOptions co(2, 1);
  ops.push_back({"conv2d_input_grad",
                 [co](const V& x) {
                   return conv2d_input_grad(x[0], x[1], {2, 2, 6, 5}, co);
                 },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"dy (2, 3, 3, 3), W (3, 2, 3, 2)",
                        {normal({2, 3, 3, 3}, g), normal({3, 2, 3, 2}, g)}}};
                 }});
  ops.push_back({"conv2d_weight_grad",
                 [co](const V& x) {
                   return conv2d_weight_grad(x[0], x[1], {3, 2, 3, 2}, co);
                 },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"x (2, 2, 6, 5), dy (2, 3, 3, 3)",
                        {normal({2, 2, 6, 5}, g), normal({2, 3, 3, 3}, g)}}};
                 }});
  ops.push_back({"conv2d_bias_grad",
                 [co](const V& x) {  // db reads only dy: x gives the shapes
                   const Tensor input(Array::zeros({2, 2, 6, 5}, x[0].dtype()));
                   return conv2d_weight_bias_grad(input, x[0], {3, 2, 3, 2}, co).second;
                 },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"dy (2, 3, 3, 3) of x (2, 2, 6, 5)", {normal({2, 3, 3, 3}, g)}}};
                 }});
  add_pool_gradients(ops);
  auto dy_x = [](Generator& g) {
    return std::vector<OpSample>{
        {"(2, 3)", {normal({2, 3}, g), samples::uniform({2, 3}, -3, 3, g)}}};
  };
  ops.push_back({"gelu_backward", [](const V& x) { return gelu_backward(x[0], x[1]); }, dy_x});
  ops.push_back(
      {"gelu_backward_tanh", [](const V& x) { return gelu_backward(x[0], x[1], "tanh"); }, dy_x});
  ops.push_back({"silu_backward", [](const V& x) { return silu_backward(x[0], x[1]); }, dy_x});
  ops.push_back({"index_select_backward",
                 [](const V& x) {
                   return index_select_backward(x[0], x[1], {2, 4, 3}, 1);
                 },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"dy (2, 5, 3) into (2, 4, 3)",
                        {normal({2, 5, 3}, g), samples::index({3, 0, 3, 1, 3}, {5})}}};
                 }});
  ops.push_back(
      {"embedding_backward", [](const V& x) { return embedding_backward(x[0], x[1], 5); },
       [](Generator& g) {
         return std::vector<OpSample>{
             {"dy (2, 3, 2), V 5", {normal({2, 3, 2}, g), samples::indices({2, 3}, 5, g)}}};
       }});
  ops.push_back(
      {"embedding_backward_padding_idx",
       [](const V& x) { return embedding_backward(x[0], x[1], 4, -1); },
       [](Generator& g) {
         return std::vector<OpSample>{
             {"dy (4, 2), V 4, padding 3", {normal({4, 2}, g), samples::index({3, 0, 3, 1}, {4})}}};
       }});
  ops.push_back({"layer_norm_backward",
                 [](const V& x) { return layer_norm_backward(x[0], x[1], {4}); },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(3, 4)", {normal({3, 4}, g), normal({3, 4}, g)}}};
                 }});
  ops.push_back(
      {"batch_norm_backward", [](const V& x) { return batch_norm_backward(x[0], x[1]); },
       [](Generator& g) {
         return std::vector<OpSample>{{"(3, 2, 2)", {normal({3, 2, 2}, g), normal({3, 2, 2}, g)}}};
       }});
  ops.push_back({"upsample_nearest2d_backward",
                 [](const V& x) {
                   return upsample_nearest2d_backward(x[0], {2, 3});
                 },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(1, 2, 4, 6)", {normal({1, 2, 4, 6}, g)}}};
                 }});
  // The fused loss gradients: upstream dJ (a scalar), inputs, targets; the
  // targets are labels (not checked).
  ops.push_back({"binary_cross_entropy_backward",
                 [](const V& x) { return binary_cross_entropy_backward(x[0], x[1], x[2], 0.25); },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(2, 3)",
                        {normal({}, g), samples::uniform({2, 3}, 0.1, 0.9, g),
                         samples::uniform({2, 3}, 0, 1, g)}}};
                 },
                 {0, 1}});
  ops.push_back(
      {"binary_cross_entropy_with_logits_backward",
       [](const V& x) { return binary_cross_entropy_with_logits_backward(x[0], x[1], x[2], 0.5); },
       [](Generator& g) {
         return std::vector<OpSample>{
             {"(4)", {normal({}, g), normal({4}, g), samples::uniform({4}, 0, 1, g)}}};
       }});
  ops.push_back(
      {"softmax_cross_entropy_backward",
       [](const V& x) { return softmax_cross_entropy_backward(x[0], x[1], x[2], 0.25); },
       [](Generator& g) {
         Array t = Array::empty({4}, kInt64);
         for (std::size_t i = 0; i < 4; ++i) t.set(i, double(i % 3));
         return std::vector<OpSample>{
             {"(4, 3) int64 classes", {normal({}, g), normal({4, 3}, g), Tensor(std::move(t))}},
             {"(3, 4) probabilities",
              {normal({}, g), normal({3, 4}, g), samples::uniform({3, 4}, 0.1, 1, g)}}};
       },
       {0, 1}});
}

}  // namespace xgrad
