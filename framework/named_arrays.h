// NamedArrays: an ordered list of (name, Array) pairs, the common currency
// of model parameters, optimiser state and checkpoint files.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "framework/array.h"

namespace xgrad {

using NamedArrays = std::vector<std::pair<std::string, Array>>;

}  // namespace xgrad
