#include "models/layers/flatten.h"

#include "ops/reshape.h"

namespace xgrad {

Tensor Flatten::forward(const Tensor& x) { return flatten(x); }

}  // namespace xgrad
