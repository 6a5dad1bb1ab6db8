// Tables of named kinds: the optimisers (models/optim/optimizers.h), the
// models (models/train/builders.h), the activations
// (models/layers/activations.h) and the initialisers (models/init.h) are
// each one std::vector of rows with at least `const char* name` and
// `const char* help`; these helpers read any of them.
// Thread safety: the tables are immutable; these only read them.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "framework/error.h"

namespace xgrad {

// The rows' names, in table order.
template <class Row>
std::vector<std::string> table_names(const std::vector<Row>& rows) {
  std::vector<std::string> out;
  for (const Row& r : rows) out.push_back(r.name);
  return out;
}

// "a, b, c": for "known: ..." lists.
inline std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The row named `name`; ValueError "unknown <what> 'x' (known: a, b, c)".
template <class Row>
const Row& find_row(const std::vector<Row>& rows, const std::string& name,
                    const std::string& what) {
  for (const Row& r : rows) {
    if (name == r.name) return r;
  }
  throw ValueError("unknown " + what + " '" + name + "' (known: " + joined(table_names(rows)) +
                   ")");
}

// "\n  name       help<suffix(row)>" per row, for a flag's --help text.
template <class Row, class Suffix>
std::string table_help(const std::vector<Row>& rows, Suffix suffix) {
  std::string out;
  for (const Row& r : rows) {
    std::string name = r.name;
    name.resize(std::max<std::size_t>(name.size(), 10), ' ');
    out += "\n  " + name + " " + r.help + suffix(r);
  }
  return out;
}
template <class Row>
std::string table_help(const std::vector<Row>& rows) {
  return table_help(rows, [](const Row&) { return std::string(); });
}

}  // namespace xgrad
