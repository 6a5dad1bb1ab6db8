#include "ops/softmax_cross_entropy.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <string>

#include "framework/parallel.h"
#include "framework/record.h"
#include "ops/arithmetic.h"
#include "ops/softmax.h"
#include "ops/sum.h"

namespace xgrad {

namespace {

const char* const kOp = "softmax_cross_entropy";

// Throws ShapeError/ValueError for anything but (N, K) logits with (N) class
// indices in [0, K) or (N, K) probabilities; returns whether t holds indices.
bool check_inputs(const Tensor& z, const Tensor& t) {
  check_float(kOp, z, "logits");
  check_defined(kOp, t, "target");
  if (z.dim() != 2 || z.shape()[0] == 0 || z.shape()[1] == 0) {
    throw_shape_error(kOp, "logits must be 2-D (N, K) and non-empty", "logits", z.shape());
  }
  const std::size_t n = z.shape()[0], k = z.shape()[1];
  const bool indices = t.dim() == 1 && t.shape()[0] == n;
  if (!indices && t.shape() != z.shape()) {
    throw_shape_error(kOp, "target must be (N) class indices or (N, K) probabilities", "logits",
                      z.shape(), "target", t.shape());
  }
  // Class indices are int64 (or, as before int64 existed, integral values in
  // the logits' dtype); probabilities share the logits' dtype.
  if (!indices || t.dtype() != kInt64) check_same_dtype(kOp, z, t, "logits", "target");
  for (std::size_t i = 0; indices && i < n; ++i) {
    const double c = t.value().at(i);
    const char* what = nullptr;
    if (!(std::floor(c) == c))
      what = "not an integral class index";
    else if (c < 0 || c >= double(k))
      what = "a class index outside [0, K)";
    if (what) {
      std::ostringstream os;
      os << "target row " << i << " holds " << c << ", " << what << " (K = " << k << ")";
      throw_value_error(kOp, os.str());
    }
  }
  return indices;
}

// The class of each row of an index target, whatever its dtype.
std::vector<std::size_t> classes_of(const Array& t) {
  std::vector<std::size_t> c(t.size());
  for (std::size_t i = 0; i < c.size(); ++i) c[i] = std::size_t(t.at(i));
  return c;
}

// log Σ_k exp(z_k) of one row, shifted by its max.
template <class T>
T log_sum_exp(const T* z, std::size_t k) {
  const T m = *std::max_element(z, z + k);
  T acc = 0;
  for (std::size_t j = 0; j < k; ++j) acc += std::exp(z[j] - m);
  return m + std::log(acc);
}

}  // namespace

Tensor softmax_cross_entropy(const Tensor& logits, const Tensor& target, Reduction reduction) {
  const bool indices = check_inputs(logits, target);
  const std::size_t n = logits.shape()[0], k = logits.shape()[1];
  const std::size_t grain = std::max<std::size_t>(1, kTranscendentalGrain / k);
  const double s = reduction == Reduction::kMean ? 1.0 / double(n) : 1.0;
  const std::vector<std::size_t> cls = indices ? classes_of(target.value()) : std::vector<std::size_t>();
  const double loss = dispatch(logits.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* z = logits.value().data<T>();
    const T* t = indices ? nullptr : target.value().data<T>();
    return parallel_sum<double>(0, n, grain, [&](std::size_t b, std::size_t e) {
      double acc = 0;
      for (std::size_t i = b; i < e; ++i) {
        const T* zi = z + i * k;
        const T lse = log_sum_exp(zi, k);
        if (indices) {
          acc -= double(zi[cls[i]] - lse);
        } else {
          for (std::size_t j = 0; j < k; ++j) acc -= double(t[i * k + j] * (zi[j] - lse));
        }
      }
      return acc;
    });
  });
  // dz: the fused gradient op; dT = -dJ s log_softmax(z) (probability targets, as PyTorch)
  return record(kOp, Array::scalar(s * loss, logits.dtype()), {logits, target},
                [s, indices](const Node& out, const Tensor& dy) {
                  const Tensor z = out.input(0);
                  Tensor dz, dt;
                  if (out.needs_grad(0)) dz = softmax_cross_entropy_backward(dy, z, out.input(1), s);
                  if (!indices && out.needs_grad(1)) dt = neg(mul(log_softmax(z), mul(dy, s)));
                  return Grads{dz, dt};
                });
}

Tensor softmax_cross_entropy_backward(const Tensor& dy, const Tensor& logits, const Tensor& target,
                                      double scale) {
  const char* op = "softmax_cross_entropy_backward";
  const bool indices = check_inputs(logits, target);
  check_same_dtype(op, dy, logits, "gradient", "logits");
  const std::size_t n = logits.shape()[0], k = logits.shape()[1];
  const double g = dy.item() * scale;
  const std::vector<std::size_t> cls = indices ? classes_of(target.value()) : std::vector<std::size_t>();
  Array dz = Array::empty({n, k}, logits.dtype());
  dispatch(logits.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* z = logits.value().data<T>();
    const T* t = indices ? nullptr : target.value().data<T>();
    T* d = dz.data<T>();
    parallel_for(0, n, std::max<std::size_t>(1, kTranscendentalGrain / k),
                 [&](std::size_t b, std::size_t e) {
                   for (std::size_t i = b; i < e; ++i) {
                     const T* zi = z + i * k;
                     T* di = d + i * k;
                     const T lse = log_sum_exp(zi, k);
                     T mass = 1;  // Σ_k T_ik; 1 for a class index
                     if (!indices) mass = std::accumulate(t + i * k, t + (i + 1) * k, T(0));
                     for (std::size_t j = 0; j < k; ++j) {
                       const T target_ij = indices ? T(cls[i] == j) : t[i * k + j];
                       di[j] = T(g * (std::exp(zi[j] - lse) * mass - target_ij));
                     }
                   }
                 });
  });
  // dz = dJ s (softmax(z) Σ_k T_k - T)   (Σ_k T_k = 1 for a class index)
  return record_fused(op, std::move(dz), {dy, logits, target},
                      [scale, indices, cls](const std::vector<Tensor>& in) {
                        const Tensor &dy = in[0], &z = in[1];
                        Tensor t = in[2];
                        Tensor p = softmax(z);
                        if (indices) {
                          Array onehot = Array::zeros(z.shape(), z.dtype());
                          const std::size_t k = z.shape()[1];
                          for (std::size_t i = 0; i < cls.size(); ++i) onehot.set(i * k + cls[i], 1.0);
                          t = Tensor(std::move(onehot));
                        } else {
                          p = mul(p, sum(t, {1}, true));
                        }
                        return mul(sub(p, t), mul(dy, scale));
                      });
}

}  // namespace xgrad
