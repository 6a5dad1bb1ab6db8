// op_db entries: elementwise math (ops/elementwise.h).
#include "ops/elementwise.h"

#include "ops/clamp.h"
#include "ops/minimum.h"
#include "ops/op_db.h"
#include "ops/op_db/samples.h"

namespace xgrad {

namespace {
using samples::away_from_zero;
using samples::normal;

// log, sqrt and non-integer powers need positive inputs.
std::vector<OpSample> positive_samples(Generator& g) {
  return {{"(2, 3) in [0.5, 2)", {samples::uniform({2, 3}, 0.5, 2, g)}},
          {"(4) in [0.5, 2)", {samples::uniform({4}, 0.5, 2, g)}}};
}

std::vector<OpSample> any_samples(Generator& g) {
  return {{"(2, 3)", {normal({2, 3}, g)}}, {"(2, 1, 3)", {normal({2, 1, 3}, g)}}};
}

void unary(OpList& ops, const char* name, Tensor (*f)(const Tensor&),
           std::vector<OpSample> (*samples)(Generator&)) {
  ops.push_back({name, [f](const std::vector<Tensor>& x) { return f(x[0]); }, samples});
}
}  // namespace

void add_elementwise_ops(OpList& ops) {
  unary(ops, "exp", exp, any_samples);
  unary(ops, "log", log, positive_samples);
  unary(ops, "sqrt", sqrt, positive_samples);
  unary(ops, "abs", abs, [](Generator& g) {  // away from the kink at 0
    return std::vector<OpSample>{{"(3, 4)", {away_from_zero({3, 4}, g)}}};
  });
  unary(ops, "square", square, any_samples);
  unary(ops, "sign", sign, [](Generator& g) {  // away from the jump at 0
    return std::vector<OpSample>{{"(3, 4)", {away_from_zero({3, 4}, g)}}};
  });
  // Bounds at ±0.5 and samples at least 0.1 away from them.
  auto clamp_samples = [](Generator& g) {
    Tensor x = away_from_zero({3, 4}, g);
    Array v = x.value();
    for (std::size_t i = 0; i < v.size(); ++i)
      v.set(i, v.at(i) + (v.at(i) > 0 ? 0.5 : -0.5) * (i % 2));
    return std::vector<OpSample>{{"(3, 4)", {Tensor(std::move(v))}}};
  };
  ops.push_back({"clamp", [](const std::vector<Tensor>& x) { return clamp(x[0], -0.5, 0.5); },
                 clamp_samples});
  ops.push_back(
      {"pow", [](const std::vector<Tensor>& x) { return pow(x[0], 2.5); }, positive_samples});
  ops.push_back({"pow_negative", [](const std::vector<Tensor>& x) { return pow(x[0], -1.5); },
                 positive_samples});
  ops.push_back(
      {"pow_integer", [](const std::vector<Tensor>& x) { return pow(x[0], 3); }, any_samples});
  unary(ops, "log1p", log1p, [](Generator& g) {  // the domain is x > -1
    return std::vector<OpSample>{{"(2, 3) in [-0.5, 2)", {samples::uniform({2, 3}, -0.5, 2, g)}},
                                 {"(3) near 0", {samples::uniform({3}, -1e-3, 1e-3, g)}}};
  });
  unary(ops, "expm1", expm1, any_samples);
  unary(ops, "erf", erf, any_samples);
  unary(ops, "sin", sin, any_samples);
  unary(ops, "cos", cos, any_samples);
  // Normal draws never tie (ties split the gradient: tests/ops/test_minimum.cpp).
  auto extremum_samples = [](Generator& g) {
    return std::vector<OpSample>{{"(2, 3) with (2, 3)", {normal({2, 3}, g), normal({2, 3}, g)}},
                                 {"(2, 3) with (3)", {normal({2, 3}, g), normal({3}, g)}},
                                 {"(2, 1) with (1, 4)", {normal({2, 1}, g), normal({1, 4}, g)}},
                                 {"(2, 3) with ()", {normal({2, 3}, g), normal({}, g)}}};
  };
  ops.push_back({"maximum", [](const std::vector<Tensor>& x) { return maximum(x[0], x[1]); },
                 extremum_samples});
  ops.push_back({"minimum", [](const std::vector<Tensor>& x) { return minimum(x[0], x[1]); },
                 extremum_samples});
}

}  // namespace xgrad
