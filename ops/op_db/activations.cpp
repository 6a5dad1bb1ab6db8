// op_db entries: activations (sigmoid, tanh, relu, softmax, log_softmax, and
// ops/activations.h: gelu, leaky_relu, elu, silu, softplus).
#include "ops/activations.h"

#include "ops/op_db.h"
#include "ops/op_db/samples.h"
#include "ops/relu.h"
#include "ops/sigmoid.h"
#include "ops/softmax.h"
#include "ops/tanh.h"

namespace xgrad {

void add_activation_ops(OpList& ops) {
  ops.push_back({"sigmoid", [](const std::vector<Tensor>& x) { return sigmoid(x[0]); },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(2, 3)", {samples::normal({2, 3}, g)}},
                       {"(4) wide range", {samples::uniform({4}, -6, 6, g)}},
                   };
                 }});
  ops.push_back({"tanh", [](const std::vector<Tensor>& x) { return tanh(x[0]); },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(2, 3)", {samples::normal({2, 3}, g)}},
                       {"(4) wide range", {samples::uniform({4}, -4, 4, g)}},
                   };
                 }});
  ops.push_back({"relu", [](const std::vector<Tensor>& x) { return relu(x[0]); },
                 [](Generator& g) {  // away from the kink at 0
                   return std::vector<OpSample>{{"(3, 4)", {samples::away_from_zero({3, 4}, g)}}};
                 }});
  auto softmax_samples = [](Generator& g) {
    using samples::normal;
    return std::vector<OpSample>{{"(3, 4)", {normal({3, 4}, g)}},
                                 {"(5) wide range", {samples::uniform({5}, -8, 8, g)}}};
  };
  ops.push_back(
      {"softmax", [](const std::vector<Tensor>& x) { return softmax(x[0]); }, softmax_samples});
  ops.push_back({"log_softmax", [](const std::vector<Tensor>& x) { return log_softmax(x[0]); },
                 softmax_samples});
  // Axes other than the last: rows are strided (inner > 1).
  auto middle_axis_samples = [](Generator& g) {
    return std::vector<OpSample>{{"(2, 3, 4)", {samples::normal({2, 3, 4}, g)}}};
  };
  ops.push_back({"softmax_axis1", [](const std::vector<Tensor>& x) { return softmax(x[0], 1); },
                 middle_axis_samples});
  ops.push_back({"log_softmax_axis0",
                 [](const std::vector<Tensor>& x) { return log_softmax(x[0], 0); },
                 middle_axis_samples});
  using V = std::vector<Tensor>;
  auto wide = [](Generator& g) {
    return std::vector<OpSample>{{"(2, 3)", {samples::normal({2, 3}, g)}},
                                 {"(5) wide range", {samples::uniform({5}, -4, 4, g)}}};
  };
  ops.push_back({"gelu", [](const V& x) { return gelu(x[0]); }, wide});
  ops.push_back({"gelu_tanh", [](const V& x) { return gelu(x[0], "tanh"); }, wide});
  ops.push_back({"silu", [](const V& x) { return silu(x[0]); }, wide});
  auto kinked = [](Generator& g) {  // away from the kink at 0
    return std::vector<OpSample>{{"(3, 4)", {samples::away_from_zero({3, 4}, g)}}};
  };
  ops.push_back({"leaky_relu", [](const V& x) { return leaky_relu(x[0]); }, kinked});
  ops.push_back({"leaky_relu_slope", [](const V& x) { return leaky_relu(x[0], 0.2); }, kinked});
  ops.push_back({"elu", [](const V& x) { return elu(x[0]); }, kinked});
  ops.push_back({"elu_alpha", [](const V& x) { return elu(x[0], 0.5); }, kinked});
  ops.push_back({"softplus", [](const V& x) { return softplus(x[0]); }, wide});
  // beta 2, threshold 20: samples on both sides, away from the switch at x = 10.
  ops.push_back({"softplus_beta", [](const V& x) { return softplus(x[0], 2.0, 20.0); },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(2, 3)", {samples::normal({2, 3}, g)}},
                       {"(3) linear branch", {samples::uniform({3}, 11, 12, g)}}};
                 }});
}

}  // namespace xgrad
