// The xgrad-lecture walkthrough: the lecture's backprop worked example,
// computed twice: by the slide's equations (the hand reference of
// models/lecture/reference.h, no autodiff) and by xgrad's autodiff on
// a LectureNetwork, with the largest difference of every quantity.
// Also the perceptron rule on AND, OR and XOR.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "models/lecture/lecture_network.h"
#include "models/lecture/perceptron.h"
#include "models/lecture/reference.h"

namespace xgrad::lecture {

inline constexpr double kTolerance = 1e-10;

struct WalkthroughOptions {
  std::vector<std::size_t> sizes{3, 5, 4, 2};
  std::size_t examples = 4;
  double lambda = 0.1;
  std::uint64_t seed = 0;
  double init_std = 1.0;   // Θ entries ~ N(0, init_std²)
  bool zero_init = false;  // Θ = 0 instead (L10, L11: what not to do)
};

// The walkthrough's network and data: Θ as options say, x ~ N(0, 1), one-hot
// y of random classes, all from options.seed.
struct Example {
  std::shared_ptr<LectureNetwork> net;
  Tensor X, Y;
};
Example make_example(const WalkthroughOptions& options);

// --dot: the graph of J = CE/n after backward, every quantity named as on
// the slides (models/lecture/lecture_graph.h), written to `path`; with
// `render`, `dot -Tsvg` also writes the SVG next to it (path with .svg for
// .dot). FileError when `path` cannot be written or dot fails or is missing.
// Returns the SVG's path (empty without render).
std::string write_dot(const WalkthroughOptions& options, const std::string& path, bool render);

// --trace: backward stepped through in the engine's order, each op's
// incoming and outgoing gradients beside the slide's δ and Δ. True when
// every δ and Δ matches the slide within kTolerance.
bool print_trace(std::ostream& os, const WalkthroughOptions& options);

// --init zero|normal: full-batch gradient descent (α = alpha) for `steps`
// steps from that initialisation, with the diagnostics (L11 symmetry, L7
// saturation, L10 norms) after steps 1, 10, 100, ... and the last. Returns
// whether the hidden units ended as copies of one another.
bool run_training(std::ostream& os, const WalkthroughOptions& options, std::size_t steps,
                  double alpha);

// One quantity both ways; rows are examples (z, a, δ) or units (Δ, D).
struct Compared {
  std::string name;  // "z(2)", "Delta(1)", ...
  std::string how;   // the slide's equation, for the reader
  lecture_ref::Mat slide, autodiff;
  double max_abs_diff = 0;
};

struct Walkthrough {
  WalkthroughOptions options;
  std::vector<Compared> forward;    // a(1), then z(l), a(l) for l = 2..L
  std::vector<Compared> deltas;     // δ(L), ..., δ(2)
  std::vector<Compared> gradients;  // Δ(l), D(l) both conventions, for l = 1..L−1
  double max_abs_diff = 0;
  bool pass() const { return max_abs_diff < kTolerance; }
};

// REQUIRES: at least 2 sizes, each in 1..1000; examples > 0; lambda >= 0
// (xgrad::ValueError otherwise).
Walkthrough run_walkthrough(const WalkthroughOptions& options);

struct PerceptronRun {
  std::string data;  // "AND", "OR", "XOR"
  PerceptronFit fit;
  std::vector<double> theta;
  bool expected_to_converge;
};

std::vector<PerceptronRun> run_perceptron(std::size_t max_epochs);
// AND and OR converged, XOR did not.
bool perceptron_as_expected(const std::vector<PerceptronRun>& runs);

// Text for an 80-column terminal, or JSON with the same numbers.
void print_text(std::ostream& os, const Walkthrough& w);
void print_json(std::ostream& os, const Walkthrough& w);
void print_text(std::ostream& os, const std::vector<PerceptronRun>& runs);
void print_json(std::ostream& os, const std::vector<PerceptronRun>& runs);

}  // namespace xgrad::lecture
