#include "ops/kernels/normalize.h"

#include <algorithm>
#include <cmath>

#include "framework/parallel.h"

namespace xgrad::kernels {

namespace {
// body(g) for each group, groups split across tasks by their size.
template <class F>
void for_each_group(const NormLayout& l, F body) {
  const std::size_t grain =
      std::max<std::size_t>(1, kElementwiseGrain / std::max<std::size_t>(1, l.count()));
  parallel_for(0, l.groups, grain, [&](std::size_t g0, std::size_t g1) {
    for (std::size_t g = g0; g < g1; ++g) body(g);
  });
}
}  // namespace

template <class T>
NormStats norm_stats(const T* x, const NormLayout& l, double eps) {
  NormStats s;
  s.mean.resize(l.groups);
  s.var.resize(l.groups);
  s.rstd.resize(l.groups);
  const double n = double(l.count());
  for_each_group(l, [&](std::size_t g) {
    double total = 0;
    for (std::size_t b = 0; b < l.blocks; ++b) {
      const T* p = x + l.offset(g, b);
      for (std::size_t i = 0; i < l.len; ++i) total += double(p[i]);
    }
    const double mean = total / n;
    double squares = 0;
    for (std::size_t b = 0; b < l.blocks; ++b) {
      const T* p = x + l.offset(g, b);
      for (std::size_t i = 0; i < l.len; ++i) {
        const double c = double(p[i]) - mean;
        squares += c * c;
      }
    }
    s.mean[g] = mean;
    s.var[g] = squares / n;
    s.rstd[g] = 1.0 / std::sqrt(s.var[g] + eps);
  });
  return s;
}

template <class T>
void norm_forward(const T* x, T* y, const NormLayout& l, const NormStats& s, const T* w, const T* b,
                  bool per_group) {
  for_each_group(l, [&](std::size_t g) {
    const double mean = s.mean[g], rstd = s.rstd[g];
    for (std::size_t k = 0; k < l.blocks; ++k) {
      const std::size_t at = l.offset(g, k);
      for (std::size_t i = 0; i < l.len; ++i) {
        const std::size_t a = per_group ? g : i;
        T v = T((double(x[at + i]) - mean) * rstd);
        if (w) v *= w[a];
        if (b) v += b[a];
        y[at + i] = v;
      }
    }
  });
}

template <class T>
void norm_backward(const T* g, const T* x, T* dx, const NormLayout& l, const NormStats& s) {
  const double n = double(l.count());
  for_each_group(l, [&](std::size_t grp) {
    const double mean = s.mean[grp], rstd = s.rstd[grp];
    double sum_g = 0, sum_gx = 0;
    for (std::size_t k = 0; k < l.blocks; ++k) {
      const std::size_t at = l.offset(grp, k);
      for (std::size_t i = 0; i < l.len; ++i) {
        sum_g += double(g[at + i]);
        sum_gx += double(g[at + i]) * (double(x[at + i]) - mean) * rstd;
      }
    }
    const double mean_g = sum_g / n, mean_gx = sum_gx / n;
    for (std::size_t k = 0; k < l.blocks; ++k) {
      const std::size_t at = l.offset(grp, k);
      for (std::size_t i = 0; i < l.len; ++i) {
        const double xhat = (double(x[at + i]) - mean) * rstd;
        dx[at + i] = T(rstd * (double(g[at + i]) - mean_g - xhat * mean_gx));
      }
    }
  });
}

template NormStats norm_stats<float>(const float*, const NormLayout&, double);
template NormStats norm_stats<double>(const double*, const NormLayout&, double);
template void norm_forward<float>(const float*, float*, const NormLayout&, const NormStats&,
                                  const float*, const float*, bool);
template void norm_forward<double>(const double*, double*, const NormLayout&, const NormStats&,
                                   const double*, const double*, bool);
template void norm_backward<float>(const float*, const float*, float*, const NormLayout&,
                                   const NormStats&);
template void norm_backward<double>(const double*, const double*, double*, const NormLayout&,
                                    const NormStats&);

}  // namespace xgrad::kernels
