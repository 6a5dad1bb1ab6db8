// op_db entries: reductions (ops/sum.h, ops/max.h, ops/logsumexp.h, ops/var.h).
#include "ops/logsumexp.h"
#include "ops/max.h"
#include "ops/op_db.h"
#include "ops/op_db/samples.h"
#include "ops/sum.h"
#include "ops/var.h"

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
  using V = std::vector<Tensor>;
  ops.push_back({"sum_one_axis", [](const V& x) { return sum(x[0], 1); }, rank3_samples});
  ops.push_back({"min", [](const V& x) { return min(x[0], -1); },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(3, 4) axis -1", {samples::distinct({3, 4}, g)}},
                                                {"(2, 3, 4)", {samples::distinct({2, 3, 4}, g)}}};
                 }});
  ops.push_back({"min_first_keepdims", [](const V& x) { return min(x[0], 0, true); },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(3, 4) axis 0", {samples::distinct({3, 4}, g)}}};
                 }});
  auto distinct_any = [](Generator& g) {
    return std::vector<OpSample>{{"(3, 4)", {samples::distinct({3, 4}, g)}},
                                 {"(5)", {samples::distinct({5}, g)}}};
  };
  ops.push_back({"max_all", [](const V& x) { return max(x[0]); }, distinct_any});
  ops.push_back({"min_all", [](const V& x) { return min(x[0]); }, distinct_any});
  ops.push_back({"logsumexp", [](const V& x) { return logsumexp(x[0], -1); },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(3, 4)", {samples::normal({3, 4}, g)}},
                       {"(5) wide range", {samples::uniform({5}, -8, 8, g)}}};
                 }});
  ops.push_back({"logsumexp_axes_keepdim",
                 [](const V& x) {
                   return logsumexp(x[0], {0, 2}, true);
                 },
                 rank3_samples});
  ops.push_back({"var", [](const V& x) { return var(x[0]); }, reduce_samples});
  ops.push_back({"var_axes", [](const V& x) { return var(x[0], {0, 2}); }, rank3_samples});
  ops.push_back(
      {"var_biased_keepdim", [](const V& x) { return var(x[0], 1, false, true); }, rank3_samples});
  ops.push_back({"std", [](const V& x) { return std(x[0]); }, reduce_samples});
  ops.push_back({"std_axis", [](const V& x) { return std(x[0], -1); }, rank3_samples});
}

}  // namespace xgrad
