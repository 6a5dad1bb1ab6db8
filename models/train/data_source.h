// Data sources by name, for tools: "fashion-mnist" or "csv:TRAIN[,TEST]".
//
//   DataSplits d = load_data("csv:iris.csv", ImageLayout::kFlat, 0.2, seed);
//
// A CSV file without its own test file is split after a seeded shuffle:
// the last `test_fraction` of the shuffled rows (rounded down) become the
// test set; a split that leaves either set empty is a ValueError saying how
// many rows the file has and how many the fraction needs. CSV labels are
// class indices, integers in [0, max_classes) (dataset.h's kMaxClasses, or
// the caller's class count): FileError naming file, line and column.
// Errors (unknown source, missing file) are FileError/ValueError with one
// line naming the source and what is wrong.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "framework/data/dataset.h"

namespace xgrad {

struct DataSplits {
  Dataset train, test;
  std::string description;  // e.g. "Fashion-MNIST: 60000 train, 10000 test, 784 features"
  bool images = false;      // samples are images (one normalisation over all pixels)
};

// `label_dtype` kInt64 gives int64 class labels; by default they are in
// the samples' dtype (float32).
DataSplits load_data(const std::string& source, ImageLayout layout = ImageLayout::kFlat,
                     double test_fraction = 0.2, std::uint64_t seed = 0,
                     std::size_t max_classes = kMaxClasses,
                     std::optional<DType> label_dtype = std::nullopt);

// Rows of `data` in the order of `rows` (copies).
Dataset take_rows(const Dataset& data, const std::vector<std::size_t>& rows);

}  // namespace xgrad
