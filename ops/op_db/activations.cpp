// op_db entries: activations (sigmoid, tanh, relu, softmax, log_softmax).
#include "ops/op_db.h"
#include "ops/op_db/samples.h"
#include "ops/relu.h"
#include "ops/sigmoid.h"
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
}

}  // namespace xgrad
