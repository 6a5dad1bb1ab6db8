// The command line of a gradient-check tool, over any op list.
//
// xgrad-gradcheck runs it over op_db(); a user's own program runs it over
// the user's own list, so a custom op is checked by exactly the same code:
//   int main(int argc, char** argv) { return xgrad::gradcheck_main(argc, argv, my_ops); }
// Flags: --op NAME (repeatable), --seed N, --threads N, --list.
// Prints one row per op, sample and input (shape, max abs error, max rel
// error, PASS/FAIL); returns 0 when everything passes, 1 on a failure (an op
// that throws counts as one), 2 on a bad command line (an unknown flag or
// op, a bad value), with a one-line "<program>: error: ..." on stderr.
#pragma once

#include <iosfwd>
#include <vector>

#include "framework/gradcheck.h"

namespace xgrad {

int gradcheck_main(int argc, const char* const* argv, const std::vector<OpInfo>& ops);

// The table for checks already run; returns the number of failing rows.
std::size_t print_gradcheck_table(std::ostream& os, const OpInfo& op,
                                  const std::vector<OpCheck>& checks);

}  // namespace xgrad
