// op_db entries: shape ops (reshape, flatten, transpose, concat, slicing,
// squeeze/unsqueeze, stack, split, chunk).
#include "framework/record.h"
#include "ops/concat.h"
#include "ops/expand.h"
#include "ops/op_db.h"
#include "ops/op_db/samples.h"
#include "ops/reshape.h"
#include "ops/slice.h"
#include "ops/squeeze.h"
#include "ops/transpose.h"

namespace xgrad {

void add_shape_ops(OpList& ops) {
  using samples::normal;
  ops.push_back({"identity", [](const std::vector<Tensor>& x) { return identity(x[0]); },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(2, 3)", {normal({2, 3}, g)}}};
                 }});
  OpInfo to(
      "to", [](const std::vector<Tensor>& x) { return x[0].to(kFloat32).to(kFloat64); },
      [](Generator& g) {
        return std::vector<OpSample>{{"(2, 3)", {normal({2, 3}, g)}}};
      },
      {}, 1e-6, 0.05);
  to.loose_because = "the round trip through float32 rounds x ± h to float32's spacing";
  ops.push_back(to);
  ops.push_back({"broadcast_to",
                 [](const std::vector<Tensor>& x) {
                   return broadcast_to(x[0], {2, 3, 4});
                 },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(3, 1) -> (2, 3, 4)", {normal({3, 1}, g)}},
                                                {"(4) -> (2, 3, 4)", {normal({4}, g)}}};
                 }});
  ops.push_back({"expand",
                 [](const std::vector<Tensor>& x) {
                   return expand(x[0], {2, -1, 3});
                 },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(4, 1) -> (2, 4, 3)", {normal({4, 1}, g)}}};
                 }});
  ops.push_back({"sum_to_size",
                 [](const std::vector<Tensor>& x) {
                   return sum_to_size(x[0], {3, 1});
                 },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(2, 3, 4) -> (3, 1)", {normal({2, 3, 4}, g)}}};
                 }});
  ops.push_back({"reshape",
                 [](const std::vector<Tensor>& x) {
                   return reshape(x[0], {3, -1});
                 },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(2, 3) -> (3, 2)", {normal({2, 3}, g)}},
                                                {"(2, 3, 2) -> (3, 4)", {normal({2, 3, 2}, g)}}};
                 }});
  ops.push_back({"flatten", [](const std::vector<Tensor>& x) { return flatten(x[0]); },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(2, 3, 2, 2)", {normal({2, 3, 2, 2}, g)}}};
                 }});
  ops.push_back({"transpose", [](const std::vector<Tensor>& x) { return transpose(x[0]); },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(2, 3)", {normal({2, 3}, g)}},
                                                {"(1, 4)", {normal({1, 4}, g)}},
                                                {"(5, 1)", {normal({5, 1}, g)}}};
                 }});
  ops.push_back({"permute",
                 [](const std::vector<Tensor>& x) {
                   return permute(x[0], {2, 0, 1});
                 },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(2, 3, 4) axes (2, 0, 1)", {normal({2, 3, 4}, g)}},
                       {"(3, 1, 2) axes (2, 0, 1)", {normal({3, 1, 2}, g)}}};
                 }});
  ops.push_back(
      {"permute_nchw_nhwc",
       [](const std::vector<Tensor>& x) {
         return permute(x[0], {0, 2, 3, 1});
       },
       [](Generator& g) {
         return std::vector<OpSample>{{"(2,3,2,2) axes (0,2,3,1)", {normal({2, 3, 2, 2}, g)}}};
       }});
  ops.push_back({"concat", [](const std::vector<Tensor>& x) { return concat(x, 0); },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(2, 3) + (4, 3)", {normal({2, 3}, g), normal({4, 3}, g)}},
                       {"(1,2,2)+(3,2,2)+(2,2,2)",
                        {normal({1, 2, 2}, g), normal({3, 2, 2}, g), normal({2, 2, 2}, g)}}};
                 }});
  ops.push_back(
      {"concat_last_axis", [](const std::vector<Tensor>& x) { return concat(x, -1); },
       [](Generator& g) {
         return std::vector<OpSample>{
             {"(2,3)+(2,1)+(2,4)", {normal({2, 3}, g), normal({2, 1}, g), normal({2, 4}, g)}},
             {"(2,3,2)+(2,3,1)", {normal({2, 3, 2}, g), normal({2, 3, 1}, g)}}};
       }});
  ops.push_back({"concat_middle_axis", [](const std::vector<Tensor>& x) { return concat(x, 1); },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(2,1,3)+(2,2,3)", {normal({2, 1, 3}, g), normal({2, 2, 3}, g)}}};
                 }});
  ops.push_back({"slice", [](const std::vector<Tensor>& x) { return slice(x[0], 1, 1, 3); },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(2, 4) [1, 3)", {normal({2, 4}, g)}},
                                                {"(3, 5, 2) [1, 3)", {normal({3, 5, 2}, g)}}};
                 }});
  ops.push_back({"slice_last_axis",
                 [](const std::vector<Tensor>& x) { return slice(x[0], -1, 0, 2); },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(3, 2, 4) [0, 2)", {normal({3, 2, 4}, g)}}};
                 }});
  ops.push_back({"slice_rows", [](const std::vector<Tensor>& x) { return slice_rows(x[0], 1, 3); },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(4, 3) rows [1, 3)", {normal({4, 3}, g)}},
                                                {"(5, 2, 2) rows [1, 3)", {normal({5, 2, 2}, g)}}};
                 }});
  using V = std::vector<Tensor>;
  ops.push_back({"slice_negative_bounds", [](const V& x) { return slice(x[0], 0, -3, -1); },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(4, 3) [-3, -1)", {normal({4, 3}, g)}}};
                 }});
  ops.push_back({"unsqueeze", [](const V& x) { return unsqueeze(x[0], -1); },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(2, 3) at -1", {normal({2, 3}, g)}}};
                 }});
  ops.push_back({"squeeze", [](const V& x) { return squeeze(x[0]); },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(2, 1, 3, 1)", {normal({2, 1, 3, 1}, g)}}};
                 }});
  ops.push_back({"squeeze_dim", [](const V& x) { return squeeze(x[0], 1); },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(2, 1, 3)", {normal({2, 1, 3}, g)}}};
                 }});
  ops.push_back(
      {"stack", [](const V& x) { return stack(x, 1); },
       [](Generator& g) {
         return std::vector<OpSample>{
             {"3 x (2, 3) at 1", {normal({2, 3}, g), normal({2, 3}, g), normal({2, 3}, g)}}};
       }});
  // The pieces reassembled in another order: each must route its own gradient.
  ops.push_back({"split",
                 [](const V& x) {
                   std::vector<Tensor> p = split(x[0], 2, 1);
                   return concat({p[2], p[0], p[1]}, 1);
                 },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(2, 5) in 2, 2, 1", {normal({2, 5}, g)}}};
                 }});
  ops.push_back({"split_with_sizes",
                 [](const V& x) {
                   std::vector<Tensor> p = split_with_sizes(x[0], {1, 3}, 0);
                   return concat({p[1], p[0]}, 0);
                 },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(4, 2) in 1, 3", {normal({4, 2}, g)}}};
                 }});
  ops.push_back({"chunk",
                 [](const V& x) {
                   std::vector<Tensor> p = chunk(x[0], 2, -1);
                   return concat({p[1], p[0]}, -1);
                 },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(3, 5) in 3, 2", {normal({3, 5}, g)}}};
                 }});
}

}  // namespace xgrad
