// Fuzz target: read_csv (framework/io/csv.h). The first two bytes pick the
// options (dtype, label column, class limit, delimiter, a small line
// limit); the rest is the file, served from a memfd.
#include <cmath>
#include <cstdint>

#include "framework/io/csv.h"
#include "tests/fuzz/fuzz_common.h"

using namespace xgrad;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::MemFile file;
  if (size < 2) return 0;
  CsvOptions options;
  const std::uint8_t a = data[0], b = data[1];
  options.dtype = (a & 1) ? kFloat64 : kFloat32;
  options.label_index = int((a >> 1) & 7) - 4;  // -4..3
  options.max_classes = (a & 0x10) ? std::size_t(b) : 0;
  options.delimiter = (a & 0x20) ? ';' : ',';
  if (a & 0x40) options.max_line_bytes = 1 + b;
  if (a & 0x80) options.label_name = "y";
  const std::string& path = file.write(data + 2, size - 2);
  fuzz::expect_clean<FileError>("read_csv", [&] {
    CsvData d = read_csv(path, options);
    // What was read must be what the limits promise.
    for (std::size_t i = 0; i < d.y.size(); ++i) {
      const double v = d.y.at(i);
      if (options.max_classes > 0 && !(v >= 0 && v < double(options.max_classes))) std::abort();
    }
    for (std::size_t i = 0; i < d.x.size(); ++i) {
      if (!std::isfinite(d.x.at(i))) std::abort();
    }
  });
  return 0;
}
