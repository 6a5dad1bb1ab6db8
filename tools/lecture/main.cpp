// xgrad-lecture: the lecture's backprop worked example, by the slide's
// equations beside xgrad's autodiff (or, with --perceptron, the perceptron
// rule on AND, OR and XOR; --dot, the network's graph; --trace, backward
// step by step; --init, training from an initialisation with diagnostics).
// Exit codes (tools/cli.h): 0 when every difference is below 1e-10 (or the
// perceptron, or the initialisation, behaves as the lecture says), 1
// otherwise or on an error, 2 on a bad command line.
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
  CLI::Option* format_option = app.add_option("--format", format, "text or json")
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
  std::string dot_path, init;
  bool render = false, trace = false;
  std::size_t steps = 1000;
  double alpha = 1.0;
  CLI::Option* dot = app.add_option("--dot", dot_path,
                                    "Write the network's graph (Graphviz DOT) to FILE, every "
                                    "z(l), a(l), delta(l) and Theta(l) named as on the slides");
  CLI::Option* render_flag =
      app.add_flag("--render", render, "Also render FILE as SVG with Graphviz's dot")->needs(dot);
  CLI::Option* trace_flag = app.add_flag(
      "--trace", trace,
      "Step through backward in the engine's order: each op's incoming and outgoing gradients "
      "beside the slide's delta and Delta");
  CLI::Option* init_option =
      app.add_option("--init", init,
                     "Train from this initialisation and show the diagnostics (zero: the hidden "
                     "units stay copies, L11)")
          ->check(CLI::IsMember({"zero", "normal"}));
  app.add_option("--steps", steps, "Gradient-descent steps of --init")
      ->check(CLI::Range(std::size_t(1), std::size_t(1000000)))
      ->needs(init_option)
      ->capture_default_str();
  app.add_option("--alpha", alpha, "Learning rate of --init")
      ->check(cli::positive_finite())
      ->needs(init_option)
      ->capture_default_str();
  rule->excludes(dot)->excludes(trace_flag)->excludes(init_option);
  dot->excludes(trace_flag)->excludes(init_option);
  trace_flag->excludes(init_option);
  // These print text only and use no penalty (J = CE/n).
  for (CLI::Option* o : {dot, trace_flag, init_option})
    o->excludes(format_option)->excludes(lambda);
  (void)render_flag;
  if (const int code = cli::parse(app, argc, argv, tool); code >= 0) return code;
  cli::parse_sizes(sizes_text, 1, 1000, 2, &options.sizes);
  try {
    if (perceptron) {
      const std::vector<PerceptronRun> runs = run_perceptron(max_epochs);
      format == "json" ? print_json(std::cout, runs) : print_text(std::cout, runs);
      return perceptron_as_expected(runs) ? cli::kExitOk : cli::kExitFailure;
    }
    if (!dot_path.empty()) {
      const std::string svg = write_dot(options, dot_path, render);
      std::cout << "wrote " << dot_path << (svg.empty() ? "" : " and " + svg) << "\n";
      return cli::kExitOk;
    }
    if (trace) return print_trace(std::cout, options) ? cli::kExitOk : cli::kExitFailure;
    if (!init.empty()) {
      options.zero_init = init == "zero";
      const bool copies = run_training(std::cout, options, steps, alpha);
      return copies == options.zero_init ? cli::kExitOk : cli::kExitFailure;  // as L11 says
    }
    const Walkthrough w = run_walkthrough(options);
    format == "json" ? print_json(std::cout, w) : print_text(std::cout, w);
    return w.pass() ? cli::kExitOk : cli::kExitFailure;
  } catch (const std::exception& e) {
    return cli::fail(tool, e.what(), cli::kExitFailure);
  }
}
