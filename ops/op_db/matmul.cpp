// op_db entries: matmul and linear (ops/matmul.h, ops/linear.h).
#include "ops/matmul.h"

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
