// op_db entries: loss ops. Labels (targets) are excluded from the check via
// `wrt` (they get no gradient), except mse's, whose target is differentiable.
#include <cmath>

#include "ops/losses.h"
#include "ops/op_db.h"
#include "ops/op_db/samples.h"

namespace xgrad {

namespace {

// Hard 0/1 labels.
Tensor labels01(const Shape& shape, Generator& g) {
  return Tensor(g.bernoulli(shape, 0.5, kFloat64));
}

// Class indices in [0, k), as float64 values.
Tensor class_indices(std::size_t n, std::size_t k, Generator& g) {
  Array t = g.uniform({n}, 0.0, double(k), kFloat64);
  for (std::size_t i = 0; i < n; ++i) t.set(i, std::floor(t.at(i)));
  return Tensor(std::move(t));
}

// Rows of probabilities (positive, summing to 1).
Tensor probability_rows(std::size_t n, std::size_t k, Generator& g) {
  Array t = g.uniform({n, k}, 0.1, 1.0, kFloat64);
  for (std::size_t i = 0; i < n; ++i) {
    double total = 0;
    for (std::size_t j = 0; j < k; ++j) total += t.at(i * k + j);
    for (std::size_t j = 0; j < k; ++j) t.set(i * k + j, t.at(i * k + j) / total);
  }
  return Tensor(std::move(t));
}

std::vector<OpSample> bce_samples(Generator& g) {  // probabilities away from 0 and 1
  return {
      {"(2, 3) hard labels", {samples::uniform({2, 3}, 0.1, 0.9, g), labels01({2, 3}, g)}},
      {"(5) soft labels", {samples::uniform({5}, 0.05, 0.95, g), samples::uniform({5}, 0, 1, g)}}};
}

std::vector<OpSample> softmax_ce_samples(Generator& g) {
  return {{"(4, 3) class indices", {samples::normal({4, 3}, g), class_indices(4, 3, g)}},
          {"(3, 5) probabilities", {samples::normal({3, 5}, g), probability_rows(3, 5, g)}},
          {"(2, 3) unnormalised rows",
           {samples::normal({2, 3}, g), samples::uniform({2, 3}, 0, 1, g)}}};
}

}  // namespace

void add_loss_ops(OpList& ops) {
  using V = std::vector<Tensor>;
  ops.push_back({"binary_cross_entropy",
                 [](const V& x) { return binary_cross_entropy(x[0], x[1], Reduction::kMean); },
                 bce_samples,
                 {0}});
  ops.push_back({"binary_cross_entropy_sum",
                 [](const V& x) { return binary_cross_entropy(x[0], x[1], Reduction::kSum); },
                 bce_samples,
                 {0}});
  ops.push_back(
      {"binary_cross_entropy_with_logits",
       [](const V& x) { return binary_cross_entropy_with_logits(x[0], x[1], Reduction::kMean); },
       [](Generator& g) {
         return std::vector<OpSample>{
             {"(2, 3) hard labels", {samples::normal({2, 3}, g), labels01({2, 3}, g)}},
             {"(4) wide range, soft labels",
              {samples::uniform({4}, -8, 8, g), samples::uniform({4}, 0, 1, g)}}};
       },
       {0}});
  ops.push_back({"softmax_cross_entropy",
                 [](const V& x) { return softmax_cross_entropy(x[0], x[1], Reduction::kMean); },
                 softmax_ce_samples,
                 {0}});
  ops.push_back({"softmax_cross_entropy_sum",
                 [](const V& x) { return softmax_cross_entropy(x[0], x[1], Reduction::kSum); },
                 softmax_ce_samples,
                 {0}});
  ops.push_back({"mse", [](const V& x) { return mse(x[0], x[1]); },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(2, 3)", {samples::normal({2, 3}, g), samples::normal({2, 3}, g)}},
                       {"(5, 1)", {samples::normal({5, 1}, g), samples::normal({5, 1}, g)}}};
                 }});
  ops.push_back({"mse_half_sum",
                 [](const V& x) { return mse(x[0], x[1], Reduction::kSum, MseScale::kHalf); },
                 [](Generator& g) {
                   return std::vector<OpSample>{
                       {"(3, 2)", {samples::normal({3, 2}, g), samples::normal({3, 2}, g)}}};
                 }});
  ops.push_back({"sum_of_squares", [](const V& x) { return sum_of_squares(x[0]); },
                 [](Generator& g) {
                   return std::vector<OpSample>{{"(2, 3)", {samples::normal({2, 3}, g)}},
                                                {"(4, 1, 2)", {samples::normal({4, 1, 2}, g)}}};
                 }});
}

}  // namespace xgrad
