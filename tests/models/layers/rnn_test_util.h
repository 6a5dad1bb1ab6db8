// Helpers shared by the recurrent-layer tests (test_rnn.cpp,
// test_rnn_options.cpp).
#pragma once

#include <vector>

#include "framework/generator.h"
#include "models/layers/rnn.h"
#include "ops/arithmetic.h"
#include "ops/sum.h"
#include "tests/test_values.h"

namespace xgrad::testing {

inline Tensor sv(const Shape& shape, int k, bool requires_grad = false) {
  return Tensor(seqv(shape, k), requires_grad);
}
// Sets the parameters in registration order to seqv(shape, 1), seqv(shape, 2), ...
// as the reference program did over named_parameters().
inline void set_all(Module& m) {
  int k = 1;
  for (Parameter& p : m.parameters()) set_param(m, p.name, k++);
}
// y = gru(lstm(x)) for x ~ N(0, 1) of shape (4, 6, 16), then sum(y²).backward():
// y, x's gradient and every parameter's, for comparing runs bit for bit.
inline std::vector<Array> stack_results(LSTM& lstm, GRU& gru, Generator& gen) {
  Tensor x = Tensor(gen.normal({4, 6, 16}, 0, 1), true);
  Tensor y = gru(lstm(x));
  sum(y * y).backward();
  std::vector<Array> out{y.value(), x.grad()};
  for (const Parameter& p : lstm.parameters()) out.push_back(p.tensor.grad());
  for (const Parameter& p : gru.parameters()) out.push_back(p.tensor.grad());
  return out;
}

}  // namespace xgrad::testing
