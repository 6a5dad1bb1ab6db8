#include "models/optim/clip_grad.h"

#include <cmath>
#include <limits>

#include "framework/node.h"
#include "models/format.h"

namespace xgrad {

namespace {
// The gradients clipping applies to (see the header comment).
std::vector<Array*> grads_of(const std::vector<Tensor>& parameters, const char* op) {
  std::vector<Array*> out;
  for (const Tensor& p : parameters) {
    if (!p.defined()) throw GraphError(std::string(op) + ": a parameter is an undefined tensor");
    if (p.has_grad()) out.push_back(&p.node()->grad);
  }
  return out;
}

std::vector<Tensor> tensors_of(const std::vector<Parameter>& parameters) {
  std::vector<Tensor> out;
  out.reserve(parameters.size());
  for (const Parameter& p : parameters) out.push_back(p.tensor);
  return out;
}
}  // namespace

double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
  const char* op = "clip_grad_norm_";
  if (!(max_norm >= 0)) {
    throw ValueError(std::string(op) + ": max_norm must be non-negative, got " +
                     format_number(max_norm));
  }
  const double inf = std::numeric_limits<double>::infinity();
  if (!(norm_type > 0)) {
    throw ValueError(std::string(op) + ": norm_type must be positive or inf, got " +
                     format_number(norm_type));
  }
  std::vector<Array*> grads = grads_of(parameters, op);
  if (grads.empty()) return 0.0;
  // Σ |g|^p (or max |g|) over every element, in parameter order.
  double acc = 0;
  for (Array* g : grads) {
    dispatch(g->dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* d = g->data<T>();
      const std::size_t n = g->size();
      if (norm_type == inf) {
        for (std::size_t i = 0; i < n; ++i) {
          const double a = std::abs(double(d[i]));
          acc = a > acc || std::isnan(a) ? a : acc;  // NaN sticks, as in torch.max
          if (std::isnan(acc)) break;
        }
      } else if (norm_type == 2) {
        for (std::size_t i = 0; i < n; ++i) acc += double(d[i]) * double(d[i]);
      } else if (norm_type == 1) {
        for (std::size_t i = 0; i < n; ++i) acc += std::abs(double(d[i]));
      } else {
        for (std::size_t i = 0; i < n; ++i) acc += std::pow(std::abs(double(d[i])), norm_type);
      }
    });
  }
  const double total = norm_type == inf ? acc
                       : norm_type == 2 ? std::sqrt(acc)
                       : norm_type == 1 ? acc
                                        : std::pow(acc, 1 / norm_type);
  if (error_if_nonfinite && !std::isfinite(total)) {
    throw ValueError(std::string(op) + ": the total norm of order " + format_number(norm_type) +
                     " of the gradients is " + format_number(total) +
                     ", so it cannot be clipped (pass error_if_nonfinite = false to scale the "
                     "gradients by it anyway)");
  }
  const double coef = max_norm / (total + 1e-6);
  if (coef < 1 || std::isnan(coef)) {  // a NaN norm scales by NaN, as torch.clamp keeps NaN
    for (Array* g : grads) {
      dispatch(g->dtype(), [&](auto tag) {
        using T = decltype(tag);
        T* d = g->data<T>();
        const T c = T(coef);
        for (std::size_t i = 0; i < g->size(); ++i) d[i] *= c;
      });
    }
  }
  return total;
}

double clip_grad_norm_(const std::vector<Parameter>& parameters, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
  return clip_grad_norm_(tensors_of(parameters), max_norm, norm_type, error_if_nonfinite);
}

double clip_grad_norm_(const Tensor& parameter, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
  return clip_grad_norm_(std::vector<Tensor>{parameter}, max_norm, norm_type, error_if_nonfinite);
}

void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value) {
  const char* op = "clip_grad_value_";
  if (!(clip_value >= 0)) {
    throw ValueError(std::string(op) + ": clip_value must be non-negative, got " +
                     format_number(clip_value));
  }
  for (Array* g : grads_of(parameters, op)) {
    dispatch(g->dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* d = g->data<T>();
      const T hi = T(clip_value), lo = -hi;
      // NaN compares false both ways and stays NaN (torch.clamp_).
      for (std::size_t i = 0; i < g->size(); ++i) d[i] = d[i] < lo ? lo : d[i] > hi ? hi : d[i];
    });
  }
}

void clip_grad_value_(const std::vector<Parameter>& parameters, double clip_value) {
  clip_grad_value_(tensors_of(parameters), clip_value);
}

void clip_grad_value_(const Tensor& parameter, double clip_value) {
  clip_grad_value_(std::vector<Tensor>{parameter}, clip_value);
}

}  // namespace xgrad
