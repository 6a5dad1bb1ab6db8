// op_db entries: dropout ops. The mask is fixed per call (a generator seeded
// inside the function), so finite differences see the same function.
#include "ops/dropout.h"

#include "ops/op_db.h"
#include "ops/op_db/samples.h"

namespace xgrad {

namespace {
std::vector<OpSample> dropout_samples(Generator& g) {
  return {{"(3, 4)", {samples::normal({3, 4}, g)}}, {"(2, 3, 5)", {samples::normal({2, 3, 5}, g)}}};
}
}  // namespace

void add_dropout_ops(OpList& ops) {
  ops.push_back({"dropout",
                 [](const std::vector<Tensor>& x) {
                   Generator gen(11);
                   return dropout(x[0], 0.4, true, gen);
                 },
                 dropout_samples});
  ops.push_back({"dropout_with_mask",
                 [](const std::vector<Tensor>& x) {
                   Generator gen(5);
                   return dropout_with_mask(x[0], dropout_mask(x[0].shape(), 0.5, gen, kFloat64),
                                            2.0);
                 },
                 dropout_samples});
}

}  // namespace xgrad
