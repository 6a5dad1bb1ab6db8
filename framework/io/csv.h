// Numeric CSV files: a header line of column names, then one sample per
// line; one column is the label (by name or index, default the last), the
// others are the features.
//
//   x1,x2,label
//   0.5,1e-3,1
//
// Fields are numbers as std::from_chars reads them (locale-independent;
// surrounding spaces, double quotes around a whole field and a Windows
// line end are ignored); blank lines are skipped; quoted fields containing
// the delimiter are not supported. A bad file throws FileError naming the file, the line (1-based,
// the header is line 1) and the column: "data.csv:3: column 2 ('x2'): not a
// finite number: 'abc'" (file content is quoted as a short, escaped
// excerpt, framework/io/excerpt.h).
//
// Limits: a value must be finite and, for float32, within float32's range
// (|v| <= 3.4e38: a larger one would silently become inf); a line may be at
// most max_line_bytes long (1 MiB by default: the reader stops there, so a
// binary file or /dev/zero is an error, not a memory exhaustion); with
// max_classes set, each label must be a class index (an integer in
// [0, max_classes)). A file too large for the memory available is a
// FileError too, not a bad_alloc. Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "framework/array.h"

namespace xgrad {

// The longest line read_csv accepts by default, in bytes.
inline constexpr std::size_t kCsvMaxLineBytes = std::size_t(1) << 20;

struct CsvOptions {
  std::string label_name;  // the label column's name; empty: use label_index
  int label_index = -1;    // 0-based; negative counts from the end (-1: last)
  char delimiter = ',';
  DType dtype = kFloat32;
  // Non-zero: the labels are class indices, each an integer in
  // [0, max_classes) (FileError naming file, line and column otherwise).
  // Zero: a label is any finite number (e.g. a regression target).
  std::size_t max_classes = 0;
  std::size_t max_line_bytes = kCsvMaxLineBytes;
};

struct CsvData {
  Array x;  // (N, D) features, in file order
  Array y;  // (N) labels, same dtype as x
  std::vector<std::string> feature_names;
  std::string label_name;
};

CsvData read_csv(const std::string& path, const CsvOptions& options = {});

}  // namespace xgrad
