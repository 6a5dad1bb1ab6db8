#include "framework/data/normalize.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "framework/parallel.h"

namespace xgrad {

namespace {

// x viewed as (N, F): F = elements per sample (the product of the other
// dimensions: dividing the size by N would divide by zero when N is 0).
std::size_t features_of(const Array& x) {
  std::size_t f = 1;
  for (std::size_t d = 1; d < x.dim(); ++d) f *= x.shape()[d];
  return f;
}

Shape stat_shape(const Array& x, NormalizeOver over) {
  if (over == NormalizeOver::kAll) return {};
  return Shape(x.shape().begin() + 1, x.shape().end());
}

void check_fit_input(const char* who, const Array& x) {
  if (!x.defined()) throw ValueError(std::string(who) + ": fit on an undefined array");
  if (x.dim() == 0 || x.shape()[0] == 0) {
    throw_shape_error(who, "fit needs at least one sample", "x", x.shape());
  }
  if (x.size() == 0) throw_shape_error(who, "fit needs at least one feature", "x", x.shape());
}

// Statistics read from a file are used as divisors and offsets: each must
// be finite, or every transformed value would silently be NaN or inf.
void check_finite(const char* who, const char* name, const Array& a) {
  for (std::size_t j = 0; j < a.size(); ++j) {
    const double v = a.data<double>()[j];
    if (!std::isfinite(v)) {
      throw ValueError(std::string(who) + ": load_state_dict: " + name +
                       " must be finite, element " + std::to_string(j) + " is " +
                       std::to_string(v));
    }
  }
}

// acc[j] = fold(... fold(init, x[0, j], j) ..., x[N-1, j], j) for each
// column j: parallel over columns, rows in order, so the result does not
// depend on the thread count.
template <class Fold>
std::vector<double> fold_columns(const Array& x, double init, const Fold& fold) {
  std::size_t n = x.shape()[0], f = features_of(x);
  std::vector<double> acc(f, init);
  std::size_t grain = std::max<std::size_t>(1, kElementwiseGrain / n);
  dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* data = x.data<T>();
    parallel_for(0, f, grain, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = 0; i < n; ++i) {
        const T* row = data + i * f;
        for (std::size_t j = b; j < e; ++j) acc[j] = fold(acc[j], double(row[j]), j);
      }
    });
  });
  return acc;
}

Array to_array(const std::vector<double>& v, const Shape& shape) {
  Array a = Array::empty(shape, kFloat64);
  std::copy(v.begin(), v.end(), a.data<double>());
  return a;
}

// out = (x - shift) / scale, the statistics broadcast over samples (or one
// value for all elements when they have shape ()).
Array apply(const char* who, const Array& x, const Array& shift, const Array& scale) {
  if (!shift.defined()) throw ValueError(std::string(who) + ": transform before fit");
  if (x.dim() > 0 && x.shape()[0] == 0) {
    // An empty set here means an upstream mistake (an empty split), not data.
    throw_shape_error(who, "transform needs at least one sample", "x", x.shape());
  }
  bool scalar = shift.dim() == 0;
  if (!scalar && (x.dim() == 0 || Shape(x.shape().begin() + 1, x.shape().end()) != shift.shape())) {
    throw_shape_error(who, "samples must match the fitted statistics", "x", x.shape(), "statistics",
                      shift.shape());
  }
  Array out = Array::empty(x.shape(), x.dtype());
  std::size_t f = features_of(x), rows = x.dim() == 0 ? 1 : x.shape()[0];
  const double* a = shift.data<double>();
  const double* s = scale.data<double>();
  dispatch(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* in = x.data<T>();
    T* y = out.data<T>();
    std::size_t grain = std::max<std::size_t>(1, kElementwiseGrain / std::max<std::size_t>(f, 1));
    parallel_for(0, rows, grain, [&](std::size_t b, std::size_t e) {
      for (std::size_t r = b; r < e; ++r) {
        for (std::size_t j = 0; j < f; ++j) {
          std::size_t k = scalar ? 0 : j;
          y[r * f + j] = T((double(in[r * f + j]) - a[k]) / s[k]);
        }
      }
    });
  });
  return out;
}

const Array& find_state(const char* who, const NamedArrays& state, const std::string& name) {
  for (const auto& [n, a] : state) {
    if (n == name) return a;
  }
  throw ValueError(std::string(who) + ": load_state_dict: missing '" + name + "'");
}

// Loads two statistics of one shape as float64; `over` follows their rank.
void load_pair(const char* who, const NamedArrays& state, const char* a_name, const char* b_name,
               Array& a, Array& b, NormalizeOver& over) {
  const Array& sa = find_state(who, state, a_name);
  const Array& sb = find_state(who, state, b_name);
  if (sa.shape() != sb.shape()) {
    throw_shape_error(
        who, std::string("load_state_dict: ") + a_name + " and " + b_name + " must have one shape",
        a_name, sa.shape(), b_name, sb.shape());
  }
  if (state.size() != 2) {
    throw ValueError(std::string(who) + ": load_state_dict: expected only '" + a_name + "' and '" +
                     b_name + "', got " + std::to_string(state.size()) + " entries");
  }
  a = sa.to(kFloat64);
  b = sb.to(kFloat64);
  over = sa.dim() == 0 ? NormalizeOver::kAll : NormalizeOver::kFeature;
}

}  // namespace

void Standardizer::fit(const Array& x) {
  check_fit_input("Standardizer", x);
  double n = double(x.shape()[0]);
  std::vector<double> sum =
      fold_columns(x, 0.0, [](double acc, double v, std::size_t) { return acc + v; });
  std::vector<double> mean(sum.size());
  if (over_ == NormalizeOver::kAll) {
    double total = 0;
    for (double s : sum) total += s;
    mean.assign(1, total / (n * double(sum.size())));
  } else {
    for (std::size_t j = 0; j < sum.size(); ++j) mean[j] = sum[j] / n;
  }
  bool all = over_ == NormalizeOver::kAll;
  std::vector<double> sq = fold_columns(x, 0.0, [&](double acc, double v, std::size_t j) {
    double d = v - mean[all ? 0 : j];
    return acc + d * d;
  });
  std::vector<double> sd(mean.size());
  if (all) {
    double total = 0;
    for (double s : sq) total += s;
    sd[0] = std::sqrt(total / (n * double(sq.size())));
  } else {
    for (std::size_t j = 0; j < sq.size(); ++j) sd[j] = std::sqrt(sq[j] / n);
  }
  for (std::size_t j = 0; j < sd.size(); ++j) {
    if (!(sd[j] > 1e-12 * std::abs(mean[j]))) sd[j] = 1.0;  // constant feature
  }
  mean_ = to_array(mean, stat_shape(x, over_));
  std_ = to_array(sd, stat_shape(x, over_));
}

Array Standardizer::transform(const Array& x) const {
  return apply("Standardizer", x, mean_, std_);
}

NamedArrays Standardizer::state_dict() const {
  if (!fitted()) throw ValueError("Standardizer: state_dict before fit");
  return {{"mean", mean_}, {"std", std_}};
}

void Standardizer::load_state_dict(const NamedArrays& state) {
  Array mean, sd;
  NormalizeOver over = over_;
  load_pair("Standardizer", state, "mean", "std", mean, sd, over);
  check_finite("Standardizer", "mean", mean);
  check_finite("Standardizer", "std", sd);
  for (std::size_t j = 0; j < sd.size(); ++j) {
    if (!(sd.data<double>()[j] > 0)) {
      throw ValueError("Standardizer: load_state_dict: std must be positive, element " +
                       std::to_string(j) + " is " + std::to_string(sd.data<double>()[j]));
    }
  }
  over_ = over;
  mean_ = std::move(mean);
  std_ = std::move(sd);
}

void MinMaxScaler::fit(const Array& x) {
  check_fit_input("MinMaxScaler", x);
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<double> lo =
      fold_columns(x, kInf, [](double acc, double v, std::size_t) { return std::min(acc, v); });
  std::vector<double> hi =
      fold_columns(x, -kInf, [](double acc, double v, std::size_t) { return std::max(acc, v); });
  if (over_ == NormalizeOver::kAll) {
    lo.assign(1, *std::min_element(lo.begin(), lo.end()));
    hi.assign(1, *std::max_element(hi.begin(), hi.end()));
  }
  min_ = to_array(lo, stat_shape(x, over_));
  max_ = to_array(hi, stat_shape(x, over_));
}

Array MinMaxScaler::transform(const Array& x) const {
  if (!fitted()) throw ValueError("MinMaxScaler: transform before fit");
  Array range = Array::empty(max_.shape(), kFloat64);
  for (std::size_t j = 0; j < range.size(); ++j) {
    double r = max_.data<double>()[j] - min_.data<double>()[j];
    range.data<double>()[j] = r > 0 ? r : 1.0;  // constant feature
  }
  return apply("MinMaxScaler", x, min_, range);
}

NamedArrays MinMaxScaler::state_dict() const {
  if (!fitted()) throw ValueError("MinMaxScaler: state_dict before fit");
  return {{"min", min_}, {"max", max_}};
}

void MinMaxScaler::load_state_dict(const NamedArrays& state) {
  Array lo, hi;
  NormalizeOver over = over_;
  load_pair("MinMaxScaler", state, "min", "max", lo, hi, over);
  check_finite("MinMaxScaler", "min", lo);
  check_finite("MinMaxScaler", "max", hi);
  for (std::size_t j = 0; j < lo.size(); ++j) {
    if (lo.data<double>()[j] > hi.data<double>()[j]) {
      throw ValueError("MinMaxScaler: load_state_dict: min must not exceed max, element " +
                       std::to_string(j) + " has min " + std::to_string(lo.data<double>()[j]) +
                       " > max " + std::to_string(hi.data<double>()[j]));
    }
  }
  over_ = over;
  min_ = std::move(lo);
  max_ = std::move(hi);
}

}  // namespace xgrad
