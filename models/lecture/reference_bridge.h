// Glue between the hand-written reference (lecture_reference.h) and xgrad
// for the L1..L12 tests and the xgrad-lecture tool: copying numbers between
// Arrays and the reference's plain matrices, comparing them, and the
// manual gradient-descent step (the optimiser classes are not used here).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "framework/array_map.h"
#include "framework/grad_mode.h"
#include "models/lecture/lecture_network.h"
#include "models/lecture/reference.h"

namespace lecture_ref {

// A 2-D Array as a Mat.
inline Mat to_mat(const xgrad::Array& a) {
  Mat m(a.shape()[0], a.shape()[1]);
  for (std::size_t k = 0; k < m.v.size(); ++k) m.v[k] = a.at(k);
  return m;
}

inline xgrad::Array to_array(const Mat& m) {
  xgrad::Array a = xgrad::Array::empty({m.rows, m.cols}, xgrad::kFloat64);
  for (std::size_t k = 0; k < m.v.size(); ++k) a.set(k, m.v[k]);
  return a;
}

// The rows of a 2-D Array, one Vec per example.
inline std::vector<Vec> rows_of(const xgrad::Array& a) {
  std::vector<Vec> out(a.shape()[0], Vec(a.shape()[1]));
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (std::size_t j = 0; j < out[i].size(); ++j) out[i][j] = a.at(i * a.shape()[1] + j);
  }
  return out;
}

// The network's Θ(1..L−1), lecture-indexed.
inline Thetas thetas_of(const xgrad::LectureNetwork& net) {
  Thetas t(net.layers());
  for (std::size_t l = 1; l < net.layers(); ++l) t[l] = to_mat(net.theta(l).value());
  return t;
}

// max |m − a| over all entries, scaled: max |scale · a − m|.
inline double max_diff(const Mat& m, const xgrad::Array& a, double scale = 1.0) {
  double worst = 0;
  for (std::size_t k = 0; k < m.v.size(); ++k) {
    worst = std::max(worst, std::abs(scale * a.at(k) - m.v[k]));
  }
  return std::isnan(worst) ? INFINITY : worst;
}

// max over examples i and units k of |scale · batch(i, k) − per_example[i][k]|.
inline double max_diff_rows(const std::vector<Vec>& per_example, const xgrad::Array& batch,
                            double scale = 1.0) {
  double worst = 0;
  const std::size_t cols = batch.shape()[1];
  for (std::size_t i = 0; i < per_example.size(); ++i) {
    for (std::size_t k = 0; k < cols; ++k) {
      const double d = std::abs(scale * batch.at(i * cols + k) - per_example[i][k]);
      worst = std::max(worst, std::isnan(d) ? INFINITY : d);
    }
  }
  return worst;
}

// max |a[i][k] − b[i][k]| between two lists of vectors of the same shapes.
inline double max_diff_vecs(const std::vector<Vec>& a, const std::vector<Vec>& b) {
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t k = 0; k < a[i].size(); ++k) {
      const double d = std::abs(a[i][k] - b[i][k]);
      worst = std::max(worst, std::isnan(d) ? INFINITY : d);
    }
  }
  return worst;
}

// Layer l's vectors of every example (z, a or δ), taken from per-example results.
template <class Get>
std::vector<Vec> layer_of(std::size_t n, std::size_t l, Get get) {
  std::vector<Vec> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(get(i)[l]);
  return out;
}

// θ ← θ − α ∂J/∂θ for every parameter with a gradient, then forgets the
// gradients: full-batch gradient descent written by hand over autodiff.
inline void gd_step(const std::vector<xgrad::Parameter>& params, double alpha) {
  xgrad::NoGradGuard no_grad;
  for (xgrad::Parameter p : params) {
    if (!p.tensor.has_grad()) continue;
    p.tensor.mutable_value() = xgrad::map(p.tensor.value(), p.tensor.grad(),
                                          [alpha](auto v, auto g) { return v - alpha * g; });
    p.tensor.zero_grad();
  }
}

}  // namespace lecture_ref
