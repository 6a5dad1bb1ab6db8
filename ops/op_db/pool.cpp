// op_db entries: max_pool2d and avg_pool2d. Max pooling samples have distinct values far
// apart (samples::distinct), so no window holds a tie and no finite-difference step moves
// its argmax.
#include "ops/avg_pool2d.h"
#include "ops/max_pool2d.h"
#include "ops/op_db.h"
#include "ops/op_db/samples.h"

namespace xgrad {

namespace {

template <class Op>
void add_pool(OpList& ops, const std::string& name, Op op, Pool2dOptions o, bool distinct) {
  ops.push_back({name, [op, o](const std::vector<Tensor>& x) { return op(x[0], o); },
                 [distinct](Generator& g) {
                   auto make = [&](const Shape& s) {
                     return distinct ? samples::distinct(s, g) : samples::normal(s, g);
                   };
                   return std::vector<OpSample>{{"(2, 3, 6, 6)", {make({2, 3, 6, 6})}},
                                                {"(1, 2, 5, 7)", {make({1, 2, 5, 7})}}};
                 }});
}

}  // namespace

void add_pool_ops(OpList& ops) {
  add_pool(ops, "max_pool2d", max_pool2d, Pool2dOptions(2), true);
  add_pool(ops, "max_pool2d_k3_s2_pad1", max_pool2d, Pool2dOptions(3, 2, 1), true);
  add_pool(ops, "max_pool2d_rect", max_pool2d, Pool2dOptions::axes({2, 3}, {1, 2}), true);
  add_pool(ops, "avg_pool2d", avg_pool2d, Pool2dOptions(2), false);
  add_pool(ops, "avg_pool2d_k3_s2_pad1", avg_pool2d, Pool2dOptions(3, 2, 1), false);
  add_pool(ops, "avg_pool2d_rect", avg_pool2d, Pool2dOptions::axes({3, 2}, {2, 1}, {1, 0}), false);
}

}  // namespace xgrad
