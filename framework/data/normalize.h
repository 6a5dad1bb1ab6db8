// Feature scaling fitted on the training set and applied to every set. (L12)
//
// Standardizer: x' = (x - mean) / std, mean and population standard
// deviation (divide by N) per feature over the training samples, so each
// feature of the training set has mean 0 and variance 1. The lecture's slide
// writes (x - mean) / variance; that does not give variance 1, so the
// framework divides by the standard deviation (docs/lecture.md, L12).
// MinMaxScaler: x' = (x - min) / (max - min), the training set in [0, 1].
//
// A feature is one element of a sample: x is (N, ...) and the statistics
// have shape x.shape()[1:]. With NormalizeOver::kAll there is one statistic
// over every element of x (shape ()), e.g. one mean and std over all pixels
// of Fashion-MNIST, which keeps the images' relative contrast.
// Guards: a constant feature (std <= 1e-12 |mean|, or range 0) is scaled by
// 1 instead, so it maps to 0. Statistics are float64 whatever x's dtype;
// transform returns x's dtype. fit and transform need at least one sample
// (ShapeError otherwise: an empty set is an upstream mistake, such as an
// empty split). load_state_dict refuses statistics that are not finite,
// a std that is not positive and a min above its max (ValueError), before
// changing anything. state_dict() holds {"mean", "std"} or
// {"min", "max"} for checkpoints. Fitting is deterministic (each feature is
// summed in sample order), the same for any thread count.
// Thread safety: const members may be called concurrently.
#pragma once

#include "framework/array.h"
#include "framework/named_arrays.h"

namespace xgrad {

enum class NormalizeOver {
  kFeature,  // one statistic per feature
  kAll,      // one statistic over every element
};

class Standardizer {
 public:
  explicit Standardizer(NormalizeOver over = NormalizeOver::kFeature) : over_(over) {}

  // REQUIRES: x is (N, ...) with N >= 1.
  void fit(const Array& x);
  // (x - mean) / std; ValueError before fit, ShapeError when x's features
  // do not match the fitted statistics.
  Array transform(const Array& x) const;
  Array fit_transform(const Array& x) {
    fit(x);
    return transform(x);
  }

  bool fitted() const { return mean_.defined(); }
  const Array& mean() const { return mean_; }
  const Array& stddev() const { return std_; }  // after the constant-feature guard

  NamedArrays state_dict() const;  // {"mean", "std"}
  void load_state_dict(const NamedArrays& state);

 private:
  NormalizeOver over_;
  Array mean_, std_;
};

class MinMaxScaler {
 public:
  explicit MinMaxScaler(NormalizeOver over = NormalizeOver::kFeature) : over_(over) {}

  void fit(const Array& x);
  // (x - min) / (max - min); values outside the training range leave [0, 1].
  Array transform(const Array& x) const;
  Array fit_transform(const Array& x) {
    fit(x);
    return transform(x);
  }

  bool fitted() const { return min_.defined(); }
  const Array& min() const { return min_; }
  const Array& max() const { return max_; }

  NamedArrays state_dict() const;  // {"min", "max"}
  void load_state_dict(const NamedArrays& state);

 private:
  NormalizeOver over_;
  Array min_, max_;
};

}  // namespace xgrad
