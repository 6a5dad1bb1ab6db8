// op_db entries: reductions (ops/sum.h, ops/max.h).
#include "ops/max.h"
#include "ops/op_db.h"
#include "ops/op_db/samples.h"
#include "ops/sum.h"

namespace xgrad {

namespace {
std::vector<OpSample> reduce_samples(Generator& g) {
  using samples::normal;
  return {{"(2, 3, 4)", {normal({2, 3, 4}, g)}}, {"(5)", {normal({5}, g)}}};
}

std::vector<OpSample> rank3_samples(Generator& g) {
  return {{"(2, 3, 4)", {samples::normal({2, 3, 4}, g)}}};
}
}  // namespace

void add_reduction_ops(OpList& ops) {
  ops.push_back({"sum", [](const std::vector<Tensor>& x) { return sum(x[0]); }, reduce_samples});
  ops.push_back({"sum_axes",
                 [](const std::vector<Tensor>& x) {
                   return sum(x[0], {0, 2});
                 },
                 rank3_samples});
  ops.push_back({"sum_last_keepdims",
                 [](const std::vector<Tensor>& x) { return sum(x[0], {-1}, true); },
                 rank3_samples});
  ops.push_back({"mean", [](const std::vector<Tensor>& x) { return mean(x[0]); }, reduce_samples});
  ops.push_back({"mean_axis0_keepdims",
                 [](const std::vector<Tensor>& x) { return mean(x[0], {0}, true); },
                 rank3_samples});
  ops.push_back({"mean_axes",
                 [](const std::vector<Tensor>& x) {
                   return mean(x[0], {1, 2});
                 },
                 rank3_samples});
  // Distinct values: no ties, so max is differentiable at the samples.
  ops.push_back({"max", [](const std::vector<Tensor>& x) { return max(x[0], 1); },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(3, 4) axis 1", {samples::distinct({3, 4}, g)}},
                                                {"(2, 3, 4)", {samples::distinct({2, 3, 4}, g)}}};
                 }});
  ops.push_back({"max_first_keepdims",
                 [](const std::vector<Tensor>& x) { return max(x[0], 0, true); },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(3, 4) axis 0", {samples::distinct({3, 4}, g)}}};
                 }});
}

}  // namespace xgrad
