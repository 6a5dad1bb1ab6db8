// op_db entries: shape ops (reshape, flatten, transpose, concat, slicing).
#include "ops/op_db.h"
#include "ops/op_db/samples.h"
#include "ops/reshape.h"

namespace xgrad {

void add_shape_ops(OpList& ops) {
  ops.push_back({"reshape",
                 [](const std::vector<Tensor>& x) {
                   return reshape(x[0], {3, -1});
                 },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(2, 3) -> (3, 2)", {samples::normal({2, 3}, g)}},
                       {"(2, 3, 2) -> (3, 4)", {samples::normal({2, 3, 2}, g)}}};
                 }});
  ops.push_back(
      {"flatten", [](const std::vector<Tensor>& x) { return flatten(x[0]); },
       [](Generator& g) {
         return std::vector<OpSample>{{"(2, 3, 2, 2)", {samples::normal({2, 3, 2, 2}, g)}}};
       }});
}

}  // namespace xgrad
