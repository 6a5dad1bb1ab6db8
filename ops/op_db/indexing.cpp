// op_db entries: indexing (ops/index_select.h, ops/gather.h, ops/embedding.h,
// ops/compare.h's where). Indices are int64 inputs, never differentiated; they
// repeat, so the scatters in the gradients add.
#include "ops/compare.h"
#include "ops/embedding.h"
#include "ops/gather.h"
#include "ops/index_select.h"
#include "ops/op_db.h"
#include "ops/op_db/samples.h"

namespace xgrad {

void add_indexing_ops(OpList& ops) {
  using V = std::vector<Tensor>;
  using samples::index;
  using samples::normal;
  ops.push_back({"index_select", [](const V& x) { return index_select(x[0], 1, x[1]); },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(2, 4, 3) dim 1 [3, 0, 3, 1, 3]",
                        {normal({2, 4, 3}, g), index({3, 0, 3, 1, 3}, {5})}},
                       {"(3, 4) dim 1 [2]", {normal({3, 4}, g), index({2}, {1})}}};
                 }});
  ops.push_back({"index_select_rows", [](const V& x) { return index_select(x[0], 0, x[1]); },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(4, 3) dim 0", {normal({4, 3}, g), samples::indices({6}, 4, g)}}};
                 }});
  ops.push_back(
      {"gather", [](const V& x) { return gather(x[0], 1, x[1]); },
       [](Generator& g) {
         return std::vector<OpSample>{
             {"(3, 4) dim 1 index (3, 5)", {normal({3, 4}, g), samples::indices({3, 5}, 4, g)}},
             {"(3, 4, 2) dim 1 index (2, 3, 2)",
              {normal({3, 4, 2}, g), samples::indices({2, 3, 2}, 4, g)}}};
       }});
  ops.push_back(
      {"gather_dim0", [](const V& x) { return gather(x[0], 0, x[1]); },
       [](Generator& g) {
         return std::vector<OpSample>{
             {"(3, 4) dim 0 index (5, 4)", {normal({3, 4}, g), samples::indices({5, 4}, 3, g)}}};
       }});
  ops.push_back({"scatter_add", [](const V& x) { return scatter_add(x[0], 1, x[1], x[2]); },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"self (3, 4), index (3, 5), src (3, 5)",
                        {normal({3, 4}, g), samples::indices({3, 5}, 4, g), normal({3, 5}, g)}},
                       {"self (3, 4), index (2, 2), src (3, 3) larger",
                        {normal({3, 4}, g), samples::indices({2, 2}, 4, g), normal({3, 3}, g)}}};
                 }});
  ops.push_back(
      {"embedding", [](const V& x) { return embedding(x[0], x[1]); },
       [](Generator& g) {
         return std::vector<OpSample>{
             {"weight (5, 3), indices (2, 4)", {normal({5, 3}, g), samples::indices({2, 4}, 5, g)}},
             {"weight (4, 2), indices [1, 1, 3]", {normal({4, 2}, g), index({1, 1, 3}, {3})}}};
       }});
  // Row padding_idx gets no gradient although the lookup reads it (as PyTorch),
  // so the check sees it as a constant: where() holds it at 0 for both sides.
  ops.push_back({"embedding_padding_idx",
                 [](const V& x) {
                   Array keep = Array::full({x[0].shape()[0], 1}, 1.0, x[0].dtype());
                   keep.set(1, 0.0);
                   return embedding(where(Tensor(std::move(keep)), x[0], 0.0), x[1], 1);
                 },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"weight (4, 3), indices [1, 0, 1, 2]",
                                                 {normal({4, 3}, g), index({1, 0, 1, 2}, {4})}}};
                 }});
  // The condition is a 0/1 mask (not checked: it has no gradient).
  auto mask = [](const Shape& s, Generator& g) { return Tensor(g.bernoulli(s, 0.5, kFloat64)); };
  ops.push_back(
      {"where",
       [](const V& x) { return where(x[0], x[1], x[2]); },
       [mask](Generator& g) {
         return std::vector<OpSample>{
             {"(2, 3) all alike", {mask({2, 3}, g), normal({2, 3}, g), normal({2, 3}, g)}},
             {"cond (2, 1), a (3), b (2, 3)", {mask({2, 1}, g), normal({3}, g), normal({2, 3}, g)}},
             {"cond (2, 3), a (), b (1, 3)", {mask({2, 3}, g), normal({}, g), normal({1, 3}, g)}}};
       },
       {1, 2}});
}

}  // namespace xgrad
