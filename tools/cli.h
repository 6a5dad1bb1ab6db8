// The command-line conventions shared by xgrad's tools (xgrad-train,
// xgrad-gradcheck, xgrad-lecture), over CLI11.
//
// Exit codes, the same in every tool:
//   0  success (the run finished; every check passed)
//   1  the run failed: a check did not pass (a gradient, the lecture's
//      claims), or an error stopped it (a missing or corrupt file, training
//      that diverged, a checkpoint that does not fit)
//   2  the command line is wrong: an unknown flag, a malformed or
//      out-of-range value, flags that contradict each other
// Every error is one line on stderr, "<tool>: error: <what>".
// Thread safety: none needed (main() only).
#pragma once

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace xgrad::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
// For each tool's --help (app.footer).
inline constexpr const char* kExitCodes =
    "Exit codes: 0 success; 1 the run failed (a check did not pass, or an error stopped it); "
    "2 bad command line.";

// Prints "<tool>: error: <message>" (newlines folded into "; ") and returns `code`.
inline int fail(const std::string& tool, const std::string& message, int code) {
  std::string line = message;
  for (char& c : line) c = c == '\n' ? ';' : c;
  std::fprintf(stderr, "%s: error: %s\n", tool.c_str(), line.c_str());
  return code;
}

// Parses the command line. Returns -1 to go on; kExitOk after printing
// --help; kExitUsage after printing a one-line error.
inline int parse(CLI::App& app, int argc, const char* const* argv, const std::string& tool) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help
  } catch (const CLI::ParseError& e) {
    return fail(tool, e.what(), kExitUsage);
  }
  return -1;
}

// Validators with short messages (CLI11's own print the bounds in full: a
// double's maximum has 309 digits). A number for which ok(v) holds, else
// "<rule>, got <text>".
template <class Ok>
CLI::Validator number_where(Ok ok, const std::string& rule, const std::string& name) {
  return CLI::Validator(
      [ok, rule](std::string& text) -> std::string {
        double v = 0;
        return CLI::detail::lexical_cast(text, v) && ok(v) ? "" : rule + ", got " + text;
      },
      name);
}

inline CLI::Validator positive_finite() {
  return number_where([](double v) { return v > 0 && std::isfinite(v); },
                      "must be a positive finite number", "POSITIVE");
}

inline CLI::Validator non_negative_finite() {
  return number_where([](double v) { return v >= 0 && std::isfinite(v); },
                      "must be a non-negative finite number", "NONNEGATIVE");
}

// A probability of dropping: 0 <= p < 1.
inline CLI::Validator unit_interval() {
  return number_where([](double v) { return v >= 0 && v < 1; }, "must be in [0, 1)", "[0,1)");
}

// An unsigned integer written without a sign (CLI11 reads "-5" into an
// unsigned as 2^64 - 5).
inline CLI::Validator unsigned_integer() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
          return "must be a non-negative integer, got " + text;
        }
        return "";
      },
      "UINT");
}

// "3,5,4,2" as numbers; "" when every item is a whole number in [lo, hi] and
// there are at least `min_count`, else what is wrong. (CLI11's delimiter
// drops empty items: "3,,2" read as 3,2.)
inline std::string parse_sizes(const std::string& text, std::size_t lo, std::size_t hi,
                               std::size_t min_count, std::vector<std::size_t>* out = nullptr) {
  std::vector<std::size_t> sizes;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    std::size_t v = 0;
    if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos ||
        item.size() > 9 || (v = std::stoul(item)) < lo || v > hi) {
      return "must be comma-separated whole numbers in [" + std::to_string(lo) + ", " +
             std::to_string(hi) + "], got '" + text + "'";
    }
    sizes.push_back(v);
    if (comma == text.size()) break;
    start = comma + 1;
  }
  if (sizes.size() < min_count) {
    return "needs at least " + std::to_string(min_count) + " sizes, got '" + text + "'";
  }
  if (out) *out = sizes;
  return "";
}

inline CLI::Validator sizes(std::size_t lo, std::size_t hi, std::size_t min_count) {
  return CLI::Validator([=](std::string& text) { return parse_sizes(text, lo, hi, min_count); },
                        "N,N,...");
}

}  // namespace xgrad::cli
