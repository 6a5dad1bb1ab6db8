// op_db entries: activations (sigmoid, tanh, relu, softmax, log_softmax).
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
}

}  // namespace xgrad
