// xgrad-lecture: the lecture's backprop worked example, by the slide's
// equations beside xgrad's autodiff (or, with --perceptron, the perceptron
// rule on AND, OR and XOR). Exit code 0 when every difference is below 1e-10
// (or the perceptron behaves as the lecture says), 1 otherwise, 2 on bad flags.
#include <CLI/CLI.hpp>
#include <iostream>

#include "framework/error.h"
#include "tools/lecture/walkthrough.h"

int main(int argc, char** argv) {
  using namespace xgrad::lecture;
  CLI::App app{"Backprop on the lecture's network: the slide's equations beside autodiff"};
  WalkthroughOptions options;
  std::string format = "text";
  bool perceptron = false;
  std::size_t max_epochs = 100;
  app.add_option("--sizes", options.sizes, "Layer sizes s_1,...,s_L (comma-separated)")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--examples", options.examples, "Number of examples n")
      ->check(CLI::Range(std::size_t(1), std::size_t(100000)))
      ->capture_default_str();
  app.add_option("--lambda", options.lambda, "Regularisation strength")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
  app.add_option("--seed", options.seed, "Seed of the weights and data")->capture_default_str();
  app.add_option("--format", format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_flag("--perceptron", perceptron, "Run the perceptron rule on AND, OR and XOR instead");
  app.add_option("--max-epochs", max_epochs, "Epoch bound of the perceptron")
      ->check(CLI::Range(std::size_t(1), std::size_t(1000000)))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (perceptron) {
      const std::vector<PerceptronRun> runs = run_perceptron(max_epochs);
      format == "json" ? print_json(std::cout, runs) : print_text(std::cout, runs);
      return perceptron_as_expected(runs) ? 0 : 1;
    }
    const Walkthrough w = run_walkthrough(options);
    format == "json" ? print_json(std::cout, w) : print_text(std::cout, w);
    return w.pass() ? 0 : 1;
  } catch (const xgrad::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
}
