#include "framework/io/csv.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <utility>

namespace xgrad {

namespace {

std::string trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  std::size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& line, char delimiter) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (;;) {
    std::size_t end = line.find(delimiter, start);
    std::string f = trim(line.substr(start, end - start));
    if (f.size() >= 2 && f.front() == '"' && f.back() == '"') f = f.substr(1, f.size() - 2);
    fields.push_back(std::move(f));
    if (end == std::string::npos) return fields;
    start = end + 1;
  }
}

bool parse_number(const std::string& field, double& value) {
  const char* b = field.data();
  const char* e = b + field.size();
  if (b != e && *b == '+' && e - b > 1 && b[1] != '-') ++b;  // from_chars rejects '+'
  auto [end, ec] = std::from_chars(b, e, value);
  return ec == std::errc() && end == e && std::isfinite(value);
}

// Resolves the label column to an index into the header.
std::size_t label_column(const std::string& path, const std::vector<std::string>& names,
                         const CsvOptions& options) {
  if (!options.label_name.empty()) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] == options.label_name) return i;
    }
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    throw FileError(path + ": no column named '" + options.label_name + "' (columns: " + list +
                    ")");
  }
  long n = long(names.size());
  long i = options.label_index < 0 ? n + options.label_index : options.label_index;
  if (i < 0 || i >= n) {
    throw FileError(path + ": label column index " + std::to_string(options.label_index) +
                    " is out of range for " + std::to_string(n) + " columns");
  }
  return std::size_t(i);
}

}  // namespace

CsvData read_csv(const std::string& path, const CsvOptions& options) {
  std::ifstream in(path);
  if (!in) throw FileError(path + ": cannot open: " + std::strerror(errno));
  std::string line;
  std::size_t line_no = 0;
  std::vector<std::string> names;
  while (names.empty() && std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) continue;
    names = split(line, options.delimiter);
  }
  if (names.empty()) throw FileError(path + ": empty file: expected a header line");
  if (names.size() < 2) {
    throw FileError(path + ": expected at least 2 columns (features and a label), got 1");
  }
  std::size_t label = label_column(path, names, options);

  std::vector<double> features, labels;
  std::vector<std::string> fields;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) continue;
    fields = split(line, options.delimiter);
    std::string where = path + ":" + std::to_string(line_no) + ": ";
    if (fields.size() != names.size()) {
      throw FileError(where + "expected " + std::to_string(names.size()) + " fields, got " +
                      std::to_string(fields.size()));
    }
    for (std::size_t c = 0; c < fields.size(); ++c) {
      double v = 0;
      if (!parse_number(fields[c], v)) {
        throw FileError(where + "column " + std::to_string(c + 1) + " ('" + names[c] +
                        "'): not a finite number: '" + fields[c] + "'");
      }
      (c == label ? labels : features).push_back(v);
    }
  }
  if (in.bad()) throw FileError(path + ": read error: " + std::strerror(errno));
  if (labels.empty()) throw FileError(path + ": no data rows after the header");

  CsvData out;
  std::size_t n = labels.size(), d = names.size() - 1;
  out.x = Array::empty({n, d}, options.dtype);
  out.y = Array::empty({n}, options.dtype);
  for (std::size_t i = 0; i < features.size(); ++i) out.x.set(i, features[i]);
  for (std::size_t i = 0; i < n; ++i) out.y.set(i, labels[i]);
  for (std::size_t c = 0; c < names.size(); ++c) {
    if (c != label) out.feature_names.push_back(names[c]);
  }
  out.label_name = names[label];
  return out;
}

}  // namespace xgrad
