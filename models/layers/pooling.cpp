#include "models/layers/pooling.h"

#include <string>

#include "ops/avg_pool2d.h"
#include "ops/max_pool2d.h"

namespace xgrad {

namespace {
std::string pair(Size2 s) { return std::to_string(s[0]) + "x" + std::to_string(s[1]); }

std::string pool_name(const char* layer, const Pool2dOptions& o) {
  std::string s =
      std::string(layer) + "(kernel " + pair(o.kernel) + ", stride " + pair(o.effective_stride());
  if (o.padding != Size2{0, 0}) s += ", padding " + pair(o.padding);
  return s + ")";
}
}  // namespace

Tensor MaxPool2d::forward(const Tensor& x) { return max_pool2d(x, options_); }
std::string MaxPool2d::name() const { return pool_name("MaxPool2d", options_); }

Tensor AvgPool2d::forward(const Tensor& x) { return avg_pool2d(x, options_); }
std::string AvgPool2d::name() const { return pool_name("AvgPool2d", options_); }

}  // namespace xgrad
