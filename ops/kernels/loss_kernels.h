// Kernels shared by the loss ops: deterministic sums of per-element terms.
//
// The sums run in double (also for float32 data, so a loss over many
// elements keeps its digits) and go through parallel_sum: fixed chunks and a
// fixed combining tree, so the result has the same bits for any thread count.
#pragma once

#include <cstddef>

#include "framework/array.h"
#include "framework/parallel.h"

namespace xgrad::kernels {

// Σ_i term(x_i). The scalar type follows x's dtype.
template <class Term>
double sum_terms(const Array& x, Term term) {
  return dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* px = x.data<T>();
    return parallel_sum<double>(0, x.size(), kTranscendentalGrain,
                                [&](std::size_t b, std::size_t e) {
                                  double acc = 0;
                                  for (std::size_t i = b; i < e; ++i) acc += double(term(px[i]));
                                  return acc;
                                });
  });
}

// Σ_i term(x_i, y_i). REQUIRES: equal shapes and dtypes.
template <class Term>
double sum_terms(const Array& x, const Array& y, Term term) {
  return dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* px = x.data<T>();
    const T* py = y.data<T>();
    return parallel_sum<double>(0, x.size(), kTranscendentalGrain,
                                [&](std::size_t b, std::size_t e) {
                                  double acc = 0;
                                  for (std::size_t i = b; i < e; ++i)
                                    acc += double(term(px[i], py[i]));
                                  return acc;
                                });
  });
}

}  // namespace xgrad::kernels
