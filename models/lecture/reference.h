// The lecture's formulas written out by hand, for the L1..L12 tests and the
// xgrad-lecture tool: plain loops over std::vector<double>, one example at a
// time as on the slides, with no part of xgrad (no ops, no autodiff), so the
// framework can be checked against it.
//
// Indexing follows the slides: layer l = 1..L; theta[l] = Θ(l) for
// l = 1..L−1, shape s_{l+1} × (s_l + 1), column 0 multiplying the bias unit
// a0 = 1; per-layer vectors are indexed by l too (index 0, and z[1], unused).
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

namespace lecture_ref {

using Vec = std::vector<double>;

// A row-major matrix.
struct Mat {
  std::size_t rows = 0, cols = 0;
  std::vector<double> v;
  Mat() = default;
  Mat(std::size_t r, std::size_t c, double fill = 0.0) : rows(r), cols(c), v(r * c, fill) {}
  double& operator()(std::size_t i, std::size_t j) { return v[i * cols + j]; }
  double operator()(std::size_t i, std::size_t j) const { return v[i * cols + j]; }
};

using Thetas = std::vector<Mat>;  // theta[l] = Θ(l), theta[0] unused

inline double g(double z) { return 1.0 / (1.0 + std::exp(-z)); }  // the sigmoid

// One example's activations: z[l] = z(l) for l = 2..L, a[l] = a(l) for l = 1..L (no bias unit).
struct Forward {
  std::vector<Vec> z, a;
};

// The slide's per-unit sums: a_i(l+1) = g(Θ_i0(l)·1 + Σ_j Θ_ij(l) a_j(l)).
inline Forward forward_per_unit(const Thetas& theta, const Vec& x) {
  const std::size_t L = theta.size();  // theta holds Θ(1..L−1) after the unused slot
  Forward f{std::vector<Vec>(L + 1), std::vector<Vec>(L + 1)};
  f.a[1] = x;
  for (std::size_t l = 1; l < L; ++l) {
    const Mat& t = theta[l];
    f.z[l + 1].assign(t.rows, 0.0);
    f.a[l + 1].assign(t.rows, 0.0);
    for (std::size_t i = 0; i < t.rows; ++i) {
      double sum = t(i, 0) * 1.0;  // Θ_i0 x0, x0 = 1
      for (std::size_t j = 1; j < t.cols; ++j) sum += t(i, j) * f.a[l][j - 1];
      f.z[l + 1][i] = sum;
      f.a[l + 1][i] = g(sum);
    }
  }
  return f;
}

// [1; a]: the vector with the bias unit a0 = 1 prepended.
inline Vec with_bias(const Vec& a) {
  Vec out{1.0};
  out.insert(out.end(), a.begin(), a.end());
  return out;
}

inline Vec mat_vec(const Mat& m, const Vec& v) {
  Vec out(m.rows, 0.0);
  for (std::size_t i = 0; i < m.rows; ++i) {
    for (std::size_t j = 0; j < m.cols; ++j) out[i] += m(i, j) * v[j];
  }
  return out;
}

// The vectorised steps: z(l+1) = Θ(l) [1; a(l)], a(l+1) = g(z(l+1)).
inline Forward forward_vectorised(const Thetas& theta, const Vec& x) {
  const std::size_t L = theta.size();
  Forward f{std::vector<Vec>(L + 1), std::vector<Vec>(L + 1)};
  f.a[1] = x;
  for (std::size_t l = 1; l < L; ++l) {
    f.z[l + 1] = mat_vec(theta[l], with_bias(f.a[l]));
    f.a[l + 1] = f.z[l + 1];
    for (double& v : f.a[l + 1]) v = g(v);
  }
  return f;
}

// One example's errors: δ(L) = a(L) − y;
// δ(l) = (Θ(l))ᵀ δ(l+1) .* g'(z(l)) with the bias row dropped and
// g'(z(l)) = a(l)(1 − a(l)), for l = L−1 down to 2. No δ(1).
inline std::vector<Vec> deltas(const Thetas& theta, const Forward& f, const Vec& y) {
  const std::size_t L = theta.size();
  std::vector<Vec> d(L + 1);
  d[L].resize(f.a[L].size());
  for (std::size_t k = 0; k < d[L].size(); ++k) d[L][k] = f.a[L][k] - y[k];
  for (std::size_t l = L - 1; l >= 2; --l) {
    const Mat& t = theta[l];
    d[l].assign(t.cols - 1, 0.0);
    for (std::size_t j = 1; j < t.cols; ++j) {  // j = 0, the bias row of Θᵀδ, is dropped
      double back = 0;
      for (std::size_t i = 0; i < t.rows; ++i) back += t(i, j) * d[l + 1][i];
      const double a = f.a[l][j - 1];
      d[l][j - 1] = back * a * (1 - a);
    }
  }
  return d;
}

// The backpropagation algorithm of the slides, over n examples:
//   Δ(l) = 0; for each (x_i, y_i): forward, δ, Δ(l) += δ(l+1) [1; a(l)]ᵀ
// then the average regularised gradient in both pairings (docs/lecture.md, L9):
//   D_lambda(l)_ij        = Δ_ij/n + λ Θ_ij      (j ≠ 0),  Δ_ij/n (j = 0)   the slide's D
//   D_lambda_over_n(l)_ij = Δ_ij/n + (λ/n) Θ_ij  (j ≠ 0),  Δ_ij/n (j = 0)   ∇ of the (λ/2n) cost
struct Backprop {
  std::vector<Forward> forward;         // per example
  std::vector<std::vector<Vec>> delta;  // per example, δ[l] for l = 2..L
  Thetas Delta, D_lambda, D_lambda_over_n;
};

inline Backprop backprop(const Thetas& theta, const std::vector<Vec>& X, const std::vector<Vec>& Y,
                         double lambda) {
  const std::size_t L = theta.size();
  const double n = double(X.size());
  Backprop b;
  b.Delta.resize(L);
  for (std::size_t l = 1; l < L; ++l) b.Delta[l] = Mat(theta[l].rows, theta[l].cols);
  for (std::size_t e = 0; e < X.size(); ++e) {
    Forward f = forward_per_unit(theta, X[e]);
    std::vector<Vec> d = deltas(theta, f, Y[e]);
    for (std::size_t l = 1; l < L; ++l) {
      const Vec a = with_bias(f.a[l]);
      for (std::size_t i = 0; i < b.Delta[l].rows; ++i) {
        for (std::size_t j = 0; j < b.Delta[l].cols; ++j) b.Delta[l](i, j) += a[j] * d[l + 1][i];
      }
    }
    b.forward.push_back(std::move(f));
    b.delta.push_back(std::move(d));
  }
  b.D_lambda = b.Delta;
  b.D_lambda_over_n = b.Delta;
  for (std::size_t l = 1; l < L; ++l) {
    for (std::size_t i = 0; i < theta[l].rows; ++i) {
      for (std::size_t j = 0; j < theta[l].cols; ++j) {
        const double avg = b.Delta[l](i, j) / n;
        b.D_lambda[l](i, j) = j != 0 ? avg + lambda * theta[l](i, j) : avg;
        b.D_lambda_over_n[l](i, j) = j != 0 ? avg + lambda / n * theta[l](i, j) : avg;
      }
    }
  }
  return b;
}

// The network's cross-entropy cost, the slide's double sum:
//   −(1/n) Σ_i Σ_k [y_ik log h_k(x_i) + (1 − y_ik) log(1 − h_k(x_i))]
inline double cross_entropy_cost(const Thetas& theta, const std::vector<Vec>& X,
                                 const std::vector<Vec>& Y) {
  double sum = 0;
  for (std::size_t i = 0; i < X.size(); ++i) {
    const Vec h = forward_per_unit(theta, X[i]).a.back();
    for (std::size_t k = 0; k < h.size(); ++k) {
      sum += Y[i][k] * std::log(h[k]) + (1 - Y[i][k]) * std::log(1 - h[k]);
    }
  }
  return -sum / double(X.size());
}

// The slide's penalty sum without its coefficient:
//   Σ_{l=1}^{L−1} Σ_{i=1}^{s_l} Σ_{j=1}^{s_{l+1}} (Θ_ji(l))²   (column 0, the bias, left out)
inline double penalty_sum(const Thetas& theta) {
  double sum = 0;
  for (std::size_t l = 1; l < theta.size(); ++l) {
    for (std::size_t i = 1; i < theta[l].cols; ++i) {
      for (std::size_t j = 0; j < theta[l].rows; ++j) sum += theta[l](j, i) * theta[l](j, i);
    }
  }
  return sum;
}

// One gradient-descent step of the slides: Θ_ij(l) ← Θ_ij(l) − α D_ij(l).
inline void gradient_step(Thetas& theta, const Thetas& D, double alpha) {
  for (std::size_t l = 1; l < theta.size(); ++l) {
    for (std::size_t k = 0; k < theta[l].v.size(); ++k) theta[l].v[k] -= alpha * D[l].v[k];
  }
}

}  // namespace lecture_ref
