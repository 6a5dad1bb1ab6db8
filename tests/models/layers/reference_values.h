// Deterministic values shared with the libtorch programs that produced the
// layers' reference numbers: seqv(shape, k)[i] = 0.5 sin(1.3 i + k) over the
// flat index i, in float64, the same formula the reference program used
// (torch::arange(n) * 1.3 + k).sin() * 0.5.
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "framework/generator.h"
#include "framework/grad_mode.h"
#include "framework/tensor.h"
#include "models/module.h"

namespace xgrad::testing {

inline Array seqv(const Shape& shape, int k, DType dtype = kFloat64) {
  Array a = Array::empty(shape, dtype);
  for (std::size_t i = 0; i < a.size(); ++i) a.set(i, 0.5 * std::sin(1.3 * double(i) + k));
  return a;
}

// Sets the parameter `name` of `m` to seqv(its shape, k).
inline void set_param(Module& m, const std::string& name, int k) {
  for (Parameter& p : m.parameters()) {
    if (p.name == name) {
      p.tensor.mutable_value() = seqv(p.tensor.shape(), k, p.tensor.dtype());
      return;
    }
  }
  throw ValueError("set_param: no parameter '" + name + "'");
}

// The parameter `name` of `m` (a handle sharing its node).
inline Tensor param(const Module& m, const std::string& name) {
  for (const Parameter& p : m.parameters()) {
    if (p.name == name) return p.tensor;
  }
  throw ValueError("param: no parameter '" + name + "'");
}

// gradcheck of a whole layer with respect to its parameters (gradcheck
// itself differentiates a function's inputs, and a module's parameters are
// not inputs): the gradient of sum(u ⊙ f()) from backward against central
// differences over every element of every parameter, u random. Returns the
// largest |analytic - numeric| / max(1, |numeric|); float64 parameters.
inline double parameter_grad_error(Module& m, const std::function<Tensor()>& f,
                                   std::uint64_t seed = 7) {
  Generator gen(seed);
  m.zero_grad();
  Tensor y = f();
  const Array u = gen.normal(y.shape(), 0, 1, y.dtype());
  y.backward(u);
  auto loss = [&] {
    NoGradGuard no_grad;
    const Array v = f().value();
    double s = 0;
    for (std::size_t i = 0; i < v.size(); ++i) s += u.at(i) * v.at(i);
    return s;
  };
  double worst = 0;
  for (Parameter& p : m.parameters()) {
    const Array analytic = p.tensor.grad();
    for (std::size_t i = 0; i < p.tensor.size(); ++i) {
      const double x = p.tensor.value().at(i), h = 1e-6 * std::max(1.0, std::abs(x));
      p.tensor.mutable_value().set(i, x + h);
      const double up = loss();
      p.tensor.mutable_value().set(i, x - h);
      const double down = loss();
      p.tensor.mutable_value().set(i, x);
      const double numeric = (up - down) / (2 * h);
      worst =
          std::max(worst, std::abs(analytic.at(i) - numeric) / std::max(1.0, std::abs(numeric)));
    }
  }
  return worst;
}

}  // namespace xgrad::testing
