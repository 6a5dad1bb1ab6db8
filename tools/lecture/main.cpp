// xgrad-lecture: the lecture's backprop worked example, by the slide's
// equations beside xgrad's autodiff (or, with --perceptron, the perceptron
// rule on AND, OR and XOR). Exit codes (tools/cli.h): 0 when every
// difference is below 1e-10 (or the perceptron behaves as the lecture says),
// 1 otherwise or on an error, 2 on a bad command line.
#include <CLI/CLI.hpp>
#include <iostream>

#include "tools/cli.h"
#include "tools/lecture/walkthrough.h"

int main(int argc, char** argv) {
  using namespace xgrad::lecture;
  namespace cli = xgrad::cli;
  const char* tool = "xgrad-lecture";
  CLI::App app{"Backprop on the lecture's network: the slide's equations beside autodiff"};
  app.footer(cli::kExitCodes);
  WalkthroughOptions options;
  std::string format = "text";
  bool perceptron = false;
  std::size_t max_epochs = 100;
  std::string sizes_text = "3,5,4,2";
  CLI::Option* sizes =
      app.add_option("--sizes", sizes_text, "Layer sizes s_1,...,s_L, each in [1, 1000]")
          ->check(cli::sizes(1, 1000, 2))
          ->capture_default_str();
  CLI::Option* examples = app.add_option("--examples", options.examples, "Number of examples n")
                              ->check(CLI::Range(std::size_t(1), std::size_t(100000)))
                              ->capture_default_str();
  CLI::Option* lambda = app.add_option("--lambda", options.lambda, "Regularisation strength")
                            ->check(CLI::Range(0.0, 1e6))
                            ->capture_default_str();
  CLI::Option* seed = app.add_option("--seed", options.seed, "Seed of the weights and data")
                          ->check(cli::unsigned_integer())
                          ->capture_default_str();
  app.add_option("--format", format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  CLI::Option* rule = app.add_flag("--perceptron", perceptron,
                                   "Run the perceptron rule on AND, OR and XOR instead");
  app.add_option("--max-epochs", max_epochs, "Epoch bound of the perceptron")
      ->check(CLI::Range(std::size_t(1), std::size_t(1000000)))
      ->needs(rule)
      ->capture_default_str();
  // The perceptron's data are fixed (AND, OR, XOR on two inputs).
  rule->excludes(sizes)->excludes(examples)->excludes(lambda)->excludes(seed);
  if (const int code = cli::parse(app, argc, argv, tool); code >= 0) return code;
  cli::parse_sizes(sizes_text, 1, 1000, 2, &options.sizes);
  try {
    if (perceptron) {
      const std::vector<PerceptronRun> runs = run_perceptron(max_epochs);
      format == "json" ? print_json(std::cout, runs) : print_text(std::cout, runs);
      return perceptron_as_expected(runs) ? cli::kExitOk : cli::kExitFailure;
    }
    const Walkthrough w = run_walkthrough(options);
    format == "json" ? print_json(std::cout, w) : print_text(std::cout, w);
    return w.pass() ? cli::kExitOk : cli::kExitFailure;
  } catch (const std::exception& e) {
    return cli::fail(tool, e.what(), cli::kExitFailure);
  }
}
