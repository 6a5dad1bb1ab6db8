#include "tools/gradcheck/gradcheck_main.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>
#include <string>

#include "framework/parallel.h"
#include "tools/cli.h"

namespace xgrad {

namespace {
std::string format_row(const std::string& op, const std::string& sample, const InputReport& r) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-22s %-26s %3zu %-14s %10.2e %10.2e  %s", op.c_str(),
                sample.c_str(), r.input, format_shape(r.shape).c_str(), r.max_abs_error,
                r.max_rel_error, r.pass ? "PASS" : "FAIL");
  return buf;
}
}  // namespace

std::size_t print_gradcheck_table(std::ostream& os, const OpInfo& op,
                                  const std::vector<OpCheck>& checks) {
  std::size_t failures = 0;
  for (const OpCheck& c : checks) {
    for (const InputReport& r : c.result.inputs) {
      os << format_row(op.name, c.label, r) << "\n";
      failures += r.pass ? 0 : 1;
    }
    if (!c.result.pass()) os << "  " << c.result.message();
  }
  return failures;
}

int gradcheck_main(int argc, const char* const* argv, const std::vector<OpInfo>& ops) {
  CLI::App app{"Checks each op's backward against central finite differences (float64)"};
  app.footer(cli::kExitCodes);
  const std::string tool = argc > 0 ? std::filesystem::path(argv[0]).filename().string() : "";
  std::vector<std::string> only;
  std::uint64_t seed = 0;
  std::size_t threads = 0;
  bool list = false;
  int order = 1;
  app.add_option("--op", only, "Check only this op (repeatable; see --list)");
  app.add_option("--order", order, "1: gradients (gradcheck); 2: gradients of gradients (gradgradcheck)")
      ->check(CLI::Range(1, 2));
  app.add_option("--seed", seed, "Seed of the sample inputs and upstream gradients")
      ->check(cli::unsigned_integer());
  app.add_option("--threads", threads, "Threads for the kernels (default: all)")
      ->check(CLI::Range(1, 1024));
  app.add_flag("--list", list, "Print the op names and exit");
  if (const int code = cli::parse(app, argc, argv, tool); code >= 0) return code;
  if (list) {
    for (const OpInfo& op : ops) std::cout << op.name << "\n";
    return 0;
  }
  std::set<std::string> wanted(only.begin(), only.end());
  for (const std::string& name : wanted) {
    bool known = false;
    for (const OpInfo& op : ops) known = known || op.name == name;
    if (!known) {
      return cli::fail(tool, "unknown op '" + name + "' (--list names the ops)", cli::kExitUsage);
    }
  }
  std::optional<ThreadLimit> limit;
  if (threads > 0) limit.emplace(threads);

  std::printf("%-22s %-26s %3s %-14s %10s %10s  %s\n", "op", "sample", "in", "shape", "max abs",
              "max rel", "result");
  std::size_t failures = 0, rows = 0, ops_checked = 0, ops_failed = 0, ops_threw = 0,
              ops_skipped = 0;
  for (const OpInfo& op : ops) {
    if (!wanted.empty() && !wanted.count(op.name)) continue;
    if (order == 2 && !op.not_twice_differentiable.empty()) {
      std::cout << op.name << ": not twice differentiable: " << op.not_twice_differentiable << "\n";
      ++ops_skipped;
      continue;
    }
    ++ops_checked;
    try {
      std::vector<OpCheck> checks = gradcheck_op(op, seed, order);
      for (const OpCheck& c : checks) rows += c.result.inputs.size();
      const std::size_t f = print_gradcheck_table(std::cout, op, checks);
      failures += f;
      ops_failed += f ? 1 : 0;
    } catch (const std::exception& e) {
      std::cout << op.name << ": ERROR: " << e.what() << "\n";
      ++ops_threw;
    }
  }
  std::cout << (failures || ops_threw ? "FAILED: " : "all passed: ") << ops_checked << " ops ("
            << rows << " rows) checked at order " << order << ": " << ops_failed << " failed ("
            << failures << " rows), " << ops_threw << " threw";
  if (ops_skipped) std::cout << ", " << ops_skipped << " not twice differentiable";
  std::cout << "\n";
  return failures || ops_threw ? cli::kExitFailure : cli::kExitOk;
}

}  // namespace xgrad
