// Sample-input makers for op_db entries: float64 tensors, seeded, with
// values kept away from an op's kinks where it has them.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"

namespace xgrad::samples {

// N(0, 1) entries.
inline Tensor normal(const Shape& shape, Generator& gen) {
  return Tensor(gen.normal(shape, 0.0, 1.0, kFloat64));
}

// Uniform in [low, high).
inline Tensor uniform(const Shape& shape, double low, double high, Generator& gen) {
  return Tensor(gen.uniform(shape, low, high, kFloat64));
}

// |x| in [margin, margin + 1] with a random sign: away from a kink at 0.
inline Tensor away_from_zero(const Shape& shape, Generator& gen, double margin = 0.1) {
  Array mag = gen.uniform(shape, margin, margin + 1.0, kFloat64);
  Array sign = gen.bernoulli(shape, 0.5, kFloat64);
  for (std::size_t i = 0; i < mag.size(); ++i) mag.set(i, sign.at(i) > 0 ? mag.at(i) : -mag.at(i));
  return Tensor(std::move(mag));
}

// Distinct values, pairwise at least `gap` apart, in random order (no ties
// for max and pooling).
inline Tensor distinct(const Shape& shape, Generator& gen, double gap = 0.05) {
  const std::size_t n = shape_size(shape);
  std::vector<std::size_t> order = gen.permutation(n);
  Array a = Array::empty(shape, kFloat64);
  for (std::size_t i = 0; i < n; ++i) a.set(i, (double(order[i]) - double(n) / 2) * gap);
  return Tensor(std::move(a));
}

// int64 indices in [0, bound), uniformly drawn (repeats allowed, so scatters add).
inline Tensor indices(const Shape& shape, std::size_t bound, Generator& gen) {
  Array u = gen.uniform(shape, 0.0, double(bound), kFloat64);
  Array idx = Array::empty(shape, kInt64);
  for (std::size_t i = 0; i < u.size(); ++i) idx.set(i, std::floor(u.at(i)));
  return Tensor(std::move(idx));
}

// int64 from a list, e.g. index({2, 0, 2}, {3}).
inline Tensor index(const std::vector<std::int64_t>& values, const Shape& shape) {
  return tensor(values, shape);
}

}  // namespace xgrad::samples
