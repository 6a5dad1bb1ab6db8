#include "models/train/data_source.h"

#include <algorithm>
#include <cstring>

#include "framework/io/csv.h"
#include "framework/generator.h"

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
      out.y.data<T>()[i] = data.y.data<T>()[rows[i]];
    }
  });
  return out;
}

namespace {
std::string summary(const std::string& name, const DataSplits& d) {
  const std::size_t n = d.train.size();
  return name + ": " + std::to_string(n) + " train, " + std::to_string(d.test.size()) + " test, " +
         std::to_string(n ? d.train.x.size() / n : 0) + " features";
}

Dataset from_csv(const std::string& path) {
  CsvData c = read_csv(path);
  return Dataset{std::move(c.x), std::move(c.y)};
}
}  // namespace

DataSplits load_data(const std::string& source, ImageLayout layout, double test_fraction,
                     std::uint64_t seed) {
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
      d.train = from_csv(paths.substr(0, comma));
      d.test = from_csv(paths.substr(comma + 1));
    } else {
      if (!(test_fraction > 0 && test_fraction < 1)) {
        throw ValueError("load_data: the test fraction must be in (0, 1)");
      }
      Dataset all = from_csv(paths);
      std::vector<std::size_t> order = Generator(seed).permutation(all.size());
      const std::size_t n_test = std::size_t(double(all.size()) * test_fraction);
      const std::size_t n_train = all.size() - n_test;
      d.train = take_rows(all, {order.begin(), order.begin() + long(n_train)});
      d.test = take_rows(all, {order.begin() + long(n_train), order.end()});
    }
    d.description = summary("CSV " + paths, d);
    return d;
  }
  throw ValueError("unknown data source '" + source + "' (known: fashion-mnist, csv:PATH[,TEST])");
}

}  // namespace xgrad
