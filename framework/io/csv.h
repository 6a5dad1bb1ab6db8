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
// number: 'abc'". Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "framework/array.h"

namespace xgrad {

struct CsvOptions {
  std::string label_name;  // the label column's name; empty: use label_index
  int label_index = -1;    // 0-based; negative counts from the end (-1: last)
  char delimiter = ',';
  DType dtype = kFloat32;
};

struct CsvData {
  Array x;  // (N, D) features, in file order
  Array y;  // (N) labels, same dtype as x
  std::vector<std::string> feature_names;
  std::string label_name;
};

CsvData read_csv(const std::string& path, const CsvOptions& options = {});

}  // namespace xgrad
