// op_db entries: activations (sigmoid, tanh, relu, softmax, log_softmax).
#include "ops/op_db.h"
#include "ops/op_db/samples.h"
#include "ops/sigmoid.h"

namespace xgrad {

void add_activation_ops(OpList& ops) {
  ops.push_back({"sigmoid", [](const std::vector<Tensor>& x) { return sigmoid(x[0]); },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(2, 3)", {samples::normal({2, 3}, g)}},
                       {"(4) wide range", {samples::uniform({4}, -6, 6, g)}},
                   };
                 }});
}

}  // namespace xgrad
