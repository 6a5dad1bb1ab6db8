#include "framework/io/csv.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <utility>

#include "framework/io/excerpt.h"

namespace xgrad {

namespace {

// Yields the lines of a file without their '\n', and refuses a line longer
// than `max_bytes` before it has read more of it: std::getline would grow
// its string until memory runs out on a file with no line ends (a binary
// file, /dev/zero), then report a bad_alloc as the end of the file.
class LineReader {
 public:
  LineReader(std::FILE* f, const std::string& path, std::size_t max_bytes)
      : f_(f), path_(path), max_(max_bytes), buf_(std::make_unique<char[]>(kBlock)) {}

  // False at the end of the file.
  bool next(std::string& line) {
    line.clear();
    bool any = false;
    for (;;) {
      if (pos_ == end_ && !refill()) {
        if (!any) return false;
        ++line_no_;  // the last line, without a '\n'
        break;
      }
      any = true;
      const char* start = buf_.get() + pos_;
      const void* nl = std::memchr(start, '\n', end_ - pos_);
      std::size_t take = nl ? std::size_t(static_cast<const char*>(nl) - start) : end_ - pos_;
      if (line.size() + take > max_) {
        throw FileError(path_ + ":" + std::to_string(line_no_ + 1) + ": line longer than " +
                        std::to_string(max_) +
                        " bytes, the maximum (CsvOptions::max_line_bytes): not a CSV text file?");
      }
      line.append(start, take);
      pos_ += take;
      if (nl) {
        ++pos_;
        ++line_no_;
        break;
      }
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  }

  std::size_t line_no() const { return line_no_; }

 private:
  static constexpr std::size_t kBlock = 1 << 16;

  bool refill() {
    pos_ = 0;
    end_ = std::fread(buf_.get(), 1, kBlock, f_);
    if (end_ == 0 && std::ferror(f_)) {
      throw FileError(path_ + ": read error: " + std::strerror(errno));
    }
    return end_ > 0;
  }

  std::FILE* f_;
  const std::string& path_;
  std::size_t max_;
  std::unique_ptr<char[]> buf_;
  std::size_t pos_ = 0, end_ = 0, line_no_ = 0;
};

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

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

// "'a', 'b', 'c'": the first few names, quoted (they come from the file).
std::string name_list(const std::vector<std::string>& names) {
  constexpr std::size_t kShown = 8;
  std::string list;
  for (std::size_t i = 0; i < names.size() && i < kShown; ++i) {
    list += (i ? ", " : "") + excerpt(names[i]);
  }
  if (names.size() > kShown) list += ", and " + std::to_string(names.size() - kShown) + " more";
  return list;
}

// Resolves the label column to an index into the header.
std::size_t label_column(const std::string& path, const std::vector<std::string>& names,
                         const CsvOptions& options) {
  if (!options.label_name.empty()) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] == options.label_name) return i;
    }
    throw FileError(path + ": no column named '" + options.label_name +
                    "' (columns: " + name_list(names) + ")");
  }
  long n = long(names.size());
  long i = options.label_index < 0 ? n + options.label_index : options.label_index;
  if (i < 0 || i >= n) {
    throw FileError(path + ": label column index " + std::to_string(options.label_index) +
                    " is out of range for " + std::to_string(n) + " columns");
  }
  return std::size_t(i);
}

// Why `v` (read from `field`) cannot be stored, or "" when it can.
std::string check_value(double v, const std::string& field, bool is_label,
                        const CsvOptions& options) {
  if (is_label && options.max_classes > 0 &&
      !(v >= 0 && v < double(options.max_classes) && v == std::floor(v))) {
    return "label " + excerpt(field) + " is not a class index (an integer from 0 to " +
           std::to_string(options.max_classes - 1) + ")";
  }
  // Narrowing a double beyond float32's range is undefined behaviour, and in
  // practice gives inf: a value the finiteness check just let through.
  if (options.dtype == kFloat32 && std::abs(v) > double(std::numeric_limits<float>::max())) {
    return excerpt(field) + " is beyond the float32 range (magnitude at most 3.4e38)";
  }
  return "";
}

CsvData read(std::FILE* file, const std::string& path, const CsvOptions& options,
             std::size_t& line_no) {
  LineReader lines(file, path, options.max_line_bytes);
  std::string line;
  std::vector<std::string> names;
  while (names.empty() && lines.next(line)) {
    line_no = lines.line_no();
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
  while (lines.next(line)) {
    line_no = lines.line_no();
    if (trim(line).empty()) continue;
    fields = split(line, options.delimiter);
    std::string where = path + ":" + std::to_string(line_no) + ": ";
    if (fields.size() != names.size()) {
      throw FileError(where + "expected " + std::to_string(names.size()) + " fields, got " +
                      std::to_string(fields.size()));
    }
    for (std::size_t c = 0; c < fields.size(); ++c) {
      double v = 0;
      std::string column = "column " + std::to_string(c + 1) + " (" + excerpt(names[c]) + "): ";
      if (!parse_number(fields[c], v)) {
        throw FileError(where + column + "not a finite number: " + excerpt(fields[c]));
      }
      std::string problem = check_value(v, fields[c], c == label, options);
      if (!problem.empty()) throw FileError(where + column + problem);
      (c == label ? labels : features).push_back(v);
    }
  }
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

}  // namespace

CsvData read_csv(const std::string& path, const CsvOptions& options) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) throw FileError(path + ": cannot open: " + std::strerror(errno));
  std::size_t line_no = 0;
  try {
    return read(file.get(), path, options, line_no);
  } catch (const std::bad_alloc&) {
    // A file too large for the memory (or the address-space limit) this
    // process has: say so, naming the file, instead of an anonymous bad_alloc.
    throw FileError(path + ":" + std::to_string(line_no) +
                    ": out of memory reading the file (too large for the memory available)");
  }
}

}  // namespace xgrad
