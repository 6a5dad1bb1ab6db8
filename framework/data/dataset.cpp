#include "framework/data/dataset.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace xgrad {

void Dataset::check(const std::string& what) const {
  if (!x.defined() || !y.defined()) throw ValueError(what + ": the dataset has no x or no y");
  if (x.dim() == 0) throw_shape_error(what, "x must have a sample dimension", "x", x.shape());
  if (y.dim() != 1 || y.shape()[0] != x.shape()[0]) {
    throw_shape_error(what, "y must be (N) for x with N samples", "x", x.shape(), "y", y.shape());
  }
  if (x.dtype() != y.dtype() && y.dtype() != kInt64) {
    throw DTypeError(what + ": y must be int64 labels or have x's dtype: x " +
                     dtype_name(x.dtype()) + ", y " + dtype_name(y.dtype()));
  }
}

Dataset Dataset::to(DType dtype) const {
  return Dataset{x.to(dtype), y.dtype() == kInt64 ? y : y.to(dtype)};
}

Dataset slice(const Dataset& data, std::size_t begin, std::size_t end) {
  data.check("slice");
  if (begin > end || end > data.size()) {
    throw ValueError("slice: range [" + std::to_string(begin) + ", " + std::to_string(end) +
                     ") is outside a dataset of " + std::to_string(data.size()) + " samples");
  }
  Shape xs = data.x.shape();
  std::size_t row = data.size() == 0 ? 0 : data.x.size() / data.size();
  xs[0] = end - begin;
  Dataset out{Array::empty(xs, data.x.dtype()), Array::empty({end - begin}, data.y.dtype())};
  if (end == begin) return out;
  dispatch(data.x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if (row > 0) {  // memcpy must not see the null data of an empty array
      std::memcpy(out.x.data<T>(), data.x.data<T>() + begin * row, (end - begin) * row * sizeof(T));
    }
  });
  dispatch_any(data.y.dtype(), [&](auto tag) {  // int64 labels, or x's dtype
    using T = decltype(tag);
    std::memcpy(out.y.data<T>(), data.y.data<T>() + begin, (end - begin) * sizeof(T));
  });
  return out;
}

namespace {
// The shortest text that reads back as v: "1.5", "1e+20", "1000000.5".
std::string shortest(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}
}  // namespace

std::size_t class_count(const Dataset& data, std::size_t max_classes) {
  data.check("class_count");
  // Compared as doubles before any cast: casting 1e20 to an integer is
  // undefined behaviour.
  double largest = -1;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const double v = data.y.at(i);
    if (!(v >= 0 && v < double(max_classes)) || v != std::floor(v)) {
      throw ValueError("class_count: label " + std::to_string(i) + " is " + shortest(v) +
                       ", not a class index (an integer from 0 to " +
                       std::to_string(max_classes - 1) + ")");
    }
    largest = std::max(largest, v);
  }
  return std::size_t(largest + 1);
}

Dataset load_idx_dataset(const std::string& images_path, const std::string& labels_path,
                         ImageLayout layout, DType dtype, std::optional<DType> label_dtype) {
  Array x = read_idx_images(images_path, layout, dtype);
  std::vector<int> labels = read_idx_labels(labels_path);
  if (labels.size() != x.shape()[0]) {
    throw FileError(labels_path + ": " + std::to_string(labels.size()) + " labels for " +
                    std::to_string(x.shape()[0]) + " images in " + images_path);
  }
  Array y = Array::empty({labels.size()}, label_dtype.value_or(dtype));
  for (std::size_t i = 0; i < labels.size(); ++i) y.set(i, labels[i]);
  return Dataset{std::move(x), std::move(y)};
}

std::string fashion_mnist_dir() {
  const char* env = std::getenv("FMNIST_DIR");
  return env != nullptr && *env != '\0' ? env : "/usr/share/datasets/fashion-mnist";
}

namespace {
// The gzip file as distributed, else an already decompressed copy.
std::string find_fmnist_file(const std::string& dir, const std::string& name) {
  std::filesystem::path gz = std::filesystem::path(dir) / (name + ".gz");
  std::filesystem::path plain = std::filesystem::path(dir) / name;
  if (std::filesystem::exists(gz)) return gz.string();
  if (std::filesystem::exists(plain)) return plain.string();
  throw FileError(gz.string() +
                  ": not found (the Debian package dataset-fashion-mnist provides it; "
                  "set FMNIST_DIR to read it from elsewhere)");
}
}  // namespace

Dataset load_fashion_mnist(Split split, const std::string& dir, ImageLayout layout, DType dtype,
                           std::optional<DType> label_dtype) {
  std::string d = dir.empty() ? fashion_mnist_dir() : dir;
  std::string prefix = split == Split::kTrain ? "train" : "t10k";
  std::string images = find_fmnist_file(d, prefix + "-images-idx3-ubyte");
  std::string labels = find_fmnist_file(d, prefix + "-labels-idx1-ubyte");
  return load_idx_dataset(images, labels, layout, dtype, label_dtype);
}

const std::vector<std::string>& fashion_mnist_classes() {
  static const std::vector<std::string> names = {"T-shirt/top", "Trouser",   "Pullover", "Dress",
                                                 "Coat",        "Sandal",    "Shirt",    "Sneaker",
                                                 "Bag",         "Ankle boot"};
  return names;
}

}  // namespace xgrad
