#include "ops/softmax_cross_entropy.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <string>

#include "framework/parallel.h"
#include "framework/record.h"

namespace xgrad {

namespace {

const char* const kOp = "softmax_cross_entropy";

// Throws ShapeError/ValueError for anything but (N, K) logits with (N) class
// indices in [0, K) or (N, K) probabilities; returns whether t holds indices.
bool check_inputs(const Tensor& z, const Tensor& t) {
  check_defined(kOp, z, "logits");
  check_defined(kOp, t, "target");
  check_same_dtype(kOp, z, t, "logits", "target");
  if (z.dim() != 2 || z.shape()[0] == 0 || z.shape()[1] == 0) {
    throw_shape_error(kOp, "logits must be 2-D (N, K) and non-empty", "logits", z.shape());
  }
  const std::size_t n = z.shape()[0], k = z.shape()[1];
  const bool indices = t.dim() == 1 && t.shape()[0] == n;
  if (!indices && t.shape() != z.shape()) {
    throw_shape_error(kOp, "target must be (N) class indices or (N, K) probabilities", "logits",
                      z.shape(), "target", t.shape());
  }
  for (std::size_t i = 0; indices && i < n; ++i) {
    const double c = t.value().at(i);
    const char* what = nullptr;
    if (!(std::floor(c) == c))
      what = "not an integral class index";
    else if (c < 0 || c >= double(k))
      what = "a class index outside [0, K)";
    if (what) {
      std::ostringstream os;
      os << kOp << ": target row " << i << " holds " << c << ", " << what << " (K = " << k << ")";
      throw ValueError(os.str());
    }
  }
  return indices;
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
  const double loss = dispatch(logits.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* z = logits.value().data<T>();
    const T* t = target.value().data<T>();
    return parallel_sum<double>(0, n, grain, [&](std::size_t b, std::size_t e) {
      double acc = 0;
      for (std::size_t i = b; i < e; ++i) {
        const T* zi = z + i * k;
        const T lse = log_sum_exp(zi, k);
        if (indices) {
          acc -= double(zi[std::size_t(t[i])] - lse);
        } else {
          for (std::size_t j = 0; j < k; ++j) acc -= double(t[i * k + j] * (zi[j] - lse));
        }
      }
      return acc;
    });
  });
  return record(kOp, Array::scalar(s * loss, logits.dtype()), {logits, target},
                [s, n, k, indices](const Node& out, const Array& dy) {
                  if (!out.input_requires_grad(0)) return Grads{Array(), Array()};
                  const double g = dy.item() * s;
                  Array dz = Array::empty({n, k}, dy.dtype());
                  dispatch(dy.dtype(), [&](auto tag) {
                    using T = decltype(tag);
                    const T* z = out.input(0).data<T>();
                    const T* t = out.input(1).data<T>();
                    T* d = dz.data<T>();
                    parallel_for(0, n, std::max<std::size_t>(1, kTranscendentalGrain / k),
                                 [&](std::size_t b, std::size_t e) {
                                   for (std::size_t i = b; i < e; ++i) {
                                     const T* zi = z + i * k;
                                     T* di = d + i * k;
                                     const T lse = log_sum_exp(zi, k);
                                     T mass = 1;  // Σ_k T_ik; 1 for a class index
                                     if (!indices)
                                       mass = std::accumulate(t + i * k, t + (i + 1) * k, T(0));
                                     for (std::size_t j = 0; j < k; ++j) {
                                       const T target_ij =
                                           indices ? T(std::size_t(t[i]) == j) : t[i * k + j];
                                       di[j] = T(g * (std::exp(zi[j] - lse) * mass - target_ij));
                                     }
                                   }
                                 });
                  });
                  return Grads{std::move(dz), Array()};  // the label gets no gradient
                });
}

}  // namespace xgrad
