#include "models/train/data_source.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "framework/generator.h"
#include "framework/io/csv.h"

namespace xgrad {

Dataset take_rows(const Dataset& data, const std::vector<std::size_t>& rows) {
  Shape xs = data.x.shape();
  xs[0] = rows.size();
  const std::size_t width = data.size() ? data.x.size() / data.size() : 0;
  Dataset out{Array::empty(xs, data.x.dtype()), Array::empty({rows.size()}, data.y.dtype())};
  dispatch(data.x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      std::copy_n(data.x.data<T>() + rows[i] * width, width, out.x.data<T>() + i * width);
    }
  });
  dispatch_any(data.y.dtype(), [&](auto tag) {  // int64 labels, or x's dtype
    using T = decltype(tag);
    for (std::size_t i = 0; i < rows.size(); ++i) out.y.data<T>()[i] = data.y.data<T>()[rows[i]];
  });
  return out;
}

namespace {
// The shortest text that reads back as v: "0.2", "0.35".
std::string shortest(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

std::string summary(const std::string& name, const DataSplits& d) {
  const std::size_t n = d.train.size();
  return name + ": " + std::to_string(n) + " train, " + std::to_string(d.test.size()) + " test, " +
         std::to_string(n ? d.train.x.size() / n : 0) + " features";
}

Dataset from_csv(const std::string& path, std::size_t max_classes) {
  CsvOptions options;
  options.max_classes = max_classes;  // labels are class indices: checked per line
  CsvData c = read_csv(path, options);
  return Dataset{std::move(c.x), std::move(c.y)};
}

// The fewest rows for which a `fraction` split leaves a test row: the
// smallest n with floor(n * fraction) >= 1, as the split computes it.
std::size_t rows_needed(double fraction) {
  const double guess = std::ceil(1.0 / fraction);
  if (!(guess < 1e15)) return std::size_t(1e15);
  std::size_t n = std::max<std::size_t>(2, std::size_t(guess));
  while (n > 2 && std::floor(double(n - 1) * fraction) >= 1) --n;
  while (std::floor(double(n) * fraction) < 1) ++n;
  return n;
}
}  // namespace

namespace {
DataSplits load_splits(const std::string& source, ImageLayout layout, double test_fraction,
                       std::uint64_t seed, std::size_t max_classes) {
  DataSplits d;
  if (source == "fashion-mnist") {
    d.train = load_fashion_mnist(Split::kTrain, "", layout);
    d.test = load_fashion_mnist(Split::kTest, "", layout);
    d.images = true;
    d.description = summary("Fashion-MNIST", d);
    return d;
  }
  if (source.rfind("csv:", 0) == 0) {
    const std::string paths = source.substr(4);
    const std::size_t comma = paths.find(',');
    if (comma != std::string::npos) {
      d.train = from_csv(paths.substr(0, comma), max_classes);
      d.test = from_csv(paths.substr(comma + 1), max_classes);
    } else {
      if (!(test_fraction > 0 && test_fraction < 1)) {
        throw ValueError("load_data: the test fraction must be in (0, 1)");
      }
      Dataset all = from_csv(paths, max_classes);
      const std::size_t n_test = std::size_t(double(all.size()) * test_fraction);
      const std::size_t n_train = all.size() - n_test;
      // Both sets must hold a row: an empty one breaks everything after it
      // (a scaler fitted or applied on no rows, an accuracy over no samples).
      if (n_test == 0 || n_train == 0) {
        throw ValueError("load_data: " + paths + " has " + std::to_string(all.size()) +
                         (all.size() == 1 ? " row" : " rows") + ": a test fraction of " +
                         shortest(test_fraction) + " leaves the " +
                         (n_test == 0 ? "test" : "training") + " set empty (it needs at least " +
                         std::to_string(rows_needed(test_fraction)) +
                         " rows, or a separate test file: csv:TRAIN,TEST)");
      }
      std::vector<std::size_t> order = Generator(seed).permutation(all.size());
      d.train = take_rows(all, {order.begin(), order.begin() + long(n_train)});
      d.test = take_rows(all, {order.begin() + long(n_train), order.end()});
    }
    d.description = summary("CSV " + paths, d);
    return d;
  }
  throw ValueError("unknown data source '" + source + "' (known: fashion-mnist, csv:PATH[,TEST])");
}
}  // namespace

DataSplits load_data(const std::string& source, ImageLayout layout, double test_fraction,
                     std::uint64_t seed, std::size_t max_classes,
                     std::optional<DType> label_dtype) {
  DataSplits d = load_splits(source, layout, test_fraction, seed, max_classes);
  if (label_dtype) {  // class indices, checked integral by the readers
    d.train.y = d.train.y.to(*label_dtype);
    d.test.y = d.test.y.to(*label_dtype);
  }
  return d;
}

}  // namespace xgrad
