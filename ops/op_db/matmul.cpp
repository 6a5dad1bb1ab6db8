// op_db entries: matmul and linear (ops/matmul.h, ops/linear.h).
#include "ops/matmul.h"

#include <string>

#include "ops/linear.h"
#include "ops/op_db.h"
#include "ops/op_db/samples.h"

namespace xgrad {

void add_matmul_ops(OpList& ops) {
  ops.push_back({"matmul", [](const std::vector<Tensor>& x) { return matmul(x[0], x[1]); },
                 [](Generator& g) {
                   using samples::normal;
                   return std::vector<OpSample>{
                       {"(3, 4) x (4, 2)", {normal({3, 4}, g), normal({4, 2}, g)}},
                       {"(1, 5) x (5, 1)", {normal({1, 5}, g), normal({5, 1}, g)}},
                       {"(2, 3, 4) x (2, 4, 5)", {normal({2, 3, 4}, g), normal({2, 4, 5}, g)}},
                       {"(2, 3, 4) x (4, 2)", {normal({2, 3, 4}, g), normal({4, 2}, g)}},
                       {"(3, 4) x (2, 4, 2)", {normal({3, 4}, g), normal({2, 4, 2}, g)}},
                   };
                 }});
  // Transposed operands, read in place (what the gradients are made of).
  for (int t = 1; t < 4; ++t) {
    const bool ta = t & 1, tb = t & 2;
    const std::string name = std::string("matmul_t_") + (ta ? "t" : "n") + (tb ? "t" : "n");
    ops.push_back({name,
                   [ta, tb](const std::vector<Tensor>& x) { return matmul_t(x[0], x[1], ta, tb); },
                   [ta, tb](Generator& g) {
                     using samples::normal;
                     const Shape a = ta ? Shape{4, 3} : Shape{3, 4}, b = tb ? Shape{2, 4} : Shape{4, 2};
                     const Shape ba = ta ? Shape{2, 4, 3} : Shape{2, 3, 4};
                     const Shape bb = tb ? Shape{2, 2, 4} : Shape{2, 4, 2};
                     return std::vector<OpSample>{
                         {"2-D", {normal(a, g), normal(b, g)}},
                         {"batched", {normal(ba, g), normal(bb, g)}},
                         {"batched lhs", {normal(ba, g), normal(b, g)}},
                         {"batched rhs", {normal(a, g), normal(bb, g)}}};
                   }});
  }
  ops.push_back({"matmul_flat_tn",
                 [](const std::vector<Tensor>& x) { return matmul_flat_tn(x[0], x[1]); },
                 [](Generator& g) {
                   using samples::normal;
                   return std::vector<OpSample>{
                       {"(2, 3, 4), (2, 3, 5)", {normal({2, 3, 4}, g), normal({2, 3, 5}, g)}}};
                 }});
  ops.push_back(
      {"linear", [](const std::vector<Tensor>& x) { return linear(x[0], x[1], x[2]); },
       [](Generator& g) {
         using samples::normal;
         return std::vector<OpSample>{
             {"(4, 3) W (2, 3) b (2)", {normal({4, 3}, g), normal({2, 3}, g), normal({2}, g)}},
             {"(1, 5) W (3, 5) b (3)", {normal({1, 5}, g), normal({3, 5}, g), normal({3}, g)}},
         };
       }});
  ops.push_back(
      {"linear_no_bias", [](const std::vector<Tensor>& x) { return linear(x[0], x[1]); },
       [](Generator& g) {
         return std::vector<OpSample>{
             {"(4, 3) W (2, 3)", {samples::normal({4, 3}, g), samples::normal({2, 3}, g)}}};
       }});
}

}  // namespace xgrad
