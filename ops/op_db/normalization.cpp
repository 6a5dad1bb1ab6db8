// op_db entries: layer_norm and batch_norm (ops/normalization.h). Training-mode
// batch_norm is checked without running statistics (updating them is a side
// effect, not part of the function); eval mode takes them as constant inputs.
#include "ops/normalization.h"

#include "ops/op_db.h"
#include "ops/op_db/samples.h"

namespace xgrad {

void add_normalization_ops(OpList& ops) {
  using V = std::vector<Tensor>;
  using samples::normal;
  ops.push_back(
      {"layer_norm", [](const V& x) { return layer_norm(x[0], {4}, x[1], x[2]); },
       [](Generator& g) {
         return std::vector<OpSample>{
             {"(3, 4) over (4)", {normal({3, 4}, g), normal({4}, g), normal({4}, g)}},
             {"(2, 3, 4) over (4)", {normal({2, 3, 4}, g), normal({4}, g), normal({4}, g)}}};
       }});
  ops.push_back({"layer_norm_2d_shape",
                 [](const V& x) {
                   return layer_norm(x[0], {2, 3}, x[1], x[2]);
                 },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(2, 2, 3) over (2, 3)",
                        {normal({2, 2, 3}, g), normal({2, 3}, g), normal({2, 3}, g)}}};
                 }});
  ops.push_back({"layer_norm_no_affine", [](const V& x) { return layer_norm(x[0], {5}); },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(3, 5)", {normal({3, 5}, g)}},
                                                {"(5) one row", {samples::uniform({5}, -2, 2, g)}}};
                 }});
  ops.push_back({"batch_norm",  // training mode
                 [](const V& x) { return batch_norm(x[0], Tensor(), Tensor(), x[1], x[2], true); },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(4, 3)", {normal({4, 3}, g), normal({3}, g), normal({3}, g)}},
                       {"(2, 3, 2, 2)", {normal({2, 3, 2, 2}, g), normal({3}, g), normal({3}, g)}}};
                 }});
  ops.push_back(
      {"batch_norm_train_no_affine",
       [](const V& x) { return batch_norm(x[0], Tensor(), Tensor(), Tensor(), Tensor(), true); },
       [](Generator& g) {
         return std::vector<OpSample>{{"(3, 2, 4)", {normal({3, 2, 4}, g)}}};
       }});
  // Inputs x, weight, bias, running_mean, running_var; the running statistics are constants.
  ops.push_back({"batch_norm_eval",
                 [](const V& x) { return batch_norm(x[0], x[3], x[4], x[1], x[2], false); },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(2, 3, 2, 2)",
                        {normal({2, 3, 2, 2}, g), normal({3}, g), normal({3}, g), normal({3}, g),
                         samples::uniform({3}, 0.5, 2, g)}}};
                 },
                 {0, 1, 2}});
}

}  // namespace xgrad
