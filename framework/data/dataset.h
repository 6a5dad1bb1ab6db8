// Dataset: samples in memory, and the loaders that make one.
//
// x holds one sample per row of its first dimension, (N, D) or
// (N, C, H, W); y holds one label or regression target per sample, (N):
// int64 class indices (as PyTorch's datasets give them), or values in x's
// dtype (a class index as a float is exact up to 2^24). Either way a batch
// of y is a Tensor the losses take directly. The Dataset owns its arrays.
// Thread safety: a value type; loaders are pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "framework/array.h"
#include "framework/io/idx.h"

namespace xgrad {

struct Dataset {
  Array x;  // (N, ...) samples
  Array y;  // (N) labels or targets: int64, or x's dtype

  std::size_t size() const { return y.defined() ? y.shape()[0] : 0; }
  // Throws ShapeError/DTypeError unless x and y are defined, y is (N) with
  // x's first dimension N, and y is int64 or of x's dtype; `what` leads the
  // message.
  void check(const std::string& what) const;
  // A copy in another precision (float64 for gradient checks); int64
  // labels stay int64.
  Dataset to(DType dtype) const;
};

// Samples [begin, end) (copies), e.g. to hold out a validation split.
Dataset slice(const Dataset& data, std::size_t begin, std::size_t end);

// Labels of a classification set are class indices: integers in
// [0, classes) with classes at most kMaxClasses (65536), a bound that keeps
// a stray label (1e6, 1e20) from sizing an output layer of gigabytes. A
// tool that knows its class count (a --classes flag) passes it as
// `max_classes` instead.
inline constexpr std::size_t kMaxClasses = std::size_t(1) << 16;

// Number of classes: the largest label + 1. ValueError naming the first
// bad sample unless every label is an integer in [0, max_classes).
std::size_t class_count(const Dataset& data, std::size_t max_classes = kMaxClasses);

// An IDX image file and its IDX label file; FileError naming the labels
// file when the counts differ. The labels are in `label_dtype` (kInt64 for
// int64 class indices), by default in the images' dtype.
Dataset load_idx_dataset(const std::string& images_path, const std::string& labels_path,
                         ImageLayout layout = ImageLayout::kFlat, DType dtype = kFloat32,
                         std::optional<DType> label_dtype = std::nullopt);

enum class Split { kTrain, kTest };

// The directory Fashion-MNIST is read from: $FMNIST_DIR if set, else
// /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist).
std::string fashion_mnist_dir();

// Fashion-MNIST (Xiao et al., 2017): 60000 training or 10000 test images of
// 28x28 pixels in [0, 1], labels 0..9. An empty `dir` means
// fashion_mnist_dir(). A missing file throws a one-line FileError naming it
// and the package that provides it. Labels as load_idx_dataset's.
Dataset load_fashion_mnist(Split split, const std::string& dir = "",
                           ImageLayout layout = ImageLayout::kFlat, DType dtype = kFloat32,
                           std::optional<DType> label_dtype = std::nullopt);

// "T-shirt/top", "Trouser", ... "Ankle boot", indexed by label.
const std::vector<std::string>& fashion_mnist_classes();

}  // namespace xgrad
