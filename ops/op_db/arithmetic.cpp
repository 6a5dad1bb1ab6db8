// op_db entries: broadcasting arithmetic (ops/arithmetic.h).
#include "ops/arithmetic.h"

#include "ops/op_db.h"
#include "ops/op_db/samples.h"

namespace xgrad {

namespace {
using samples::away_from_zero;
using samples::normal;

// Same-shape, row-broadcast, column-broadcast, scalar and rank-mismatch cases.
std::vector<OpSample> binary_samples(Generator& g, bool nonzero_rhs) {
  auto rhs = [&](const Shape& s) { return nonzero_rhs ? away_from_zero(s, g, 0.5) : normal(s, g); };
  return {
      {"(2, 3) with (2, 3)", {normal({2, 3}, g), rhs({2, 3})}},
      {"(2, 3) with (3)", {normal({2, 3}, g), rhs({3})}},
      {"(2, 3) with (2, 1)", {normal({2, 3}, g), rhs({2, 1})}},
      {"(3) with (2, 3)", {normal({3}, g), rhs({2, 3})}},
      {"(2, 1, 4) with (3, 1)", {normal({2, 1, 4}, g), rhs({3, 1})}},
      {"(2, 3) with ()", {normal({2, 3}, g), rhs({})}},
  };
}

std::vector<OpSample> unary_samples(Generator& g) {
  return {{"(2, 3)", {normal({2, 3}, g)}}, {"(4)", {normal({4}, g)}}};
}
}  // namespace

void add_arithmetic_ops(OpList& ops) {
  auto binary = [&](const char* name, Tensor (*f)(const Tensor&, const Tensor&), bool nonzero) {
    ops.push_back({name, [f](const std::vector<Tensor>& x) { return f(x[0], x[1]); },
                   [nonzero](Generator& g) { return binary_samples(g, nonzero); }});
  };
  binary("add", add, false);
  binary("sub", sub, false);
  binary("mul", mul, false);
  binary("div", div, true);
  ops.push_back({"neg", [](const std::vector<Tensor>& x) { return neg(x[0]); }, unary_samples});
  ops.push_back(
      {"add_scalar", [](const std::vector<Tensor>& x) { return x[0] + 1.5; }, unary_samples});
  ops.push_back(
      {"rsub_scalar", [](const std::vector<Tensor>& x) { return 2.0 - x[0]; }, unary_samples});
  ops.push_back(
      {"mul_scalar", [](const std::vector<Tensor>& x) { return x[0] * -3.0; }, unary_samples});
  ops.push_back(
      {"div_scalar", [](const std::vector<Tensor>& x) { return x[0] / 4.0; }, unary_samples});
  ops.push_back({"rdiv_scalar", [](const std::vector<Tensor>& x) { return 2.0 / x[0]; },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(2, 3)", {away_from_zero({2, 3}, g, 0.5)}}};
                 }});
}

}  // namespace xgrad
