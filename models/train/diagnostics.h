// Diagnostics: what the lecture warns about, measured on a running training.
//
//   Diagnostics diag(model.parameters());
//   options.observers.push_back(&diag);     // Trainer: a report after each epoch
//   // or by hand, around each step:
//   diag.after_forward(loss); loss.backward();
//   diag.before_step(opt); opt.step(); diag.after_step(opt);
//   for (const DiagnosticLine& d : diag.report()) ...
//
// Each finding names the lecture claim it comes from (docs/lecture.md):
//   L11 symmetry    units of a layer with identical incoming weights (and
//                   bias), or identical activations over the last batch: they
//                   get identical gradients and stay copies (zero or constant
//                   initialisation);
//   L7  saturation  the fraction of sigmoid/tanh outputs whose g'(z) is below
//                   a threshold: δ(l) = Θ(l)ᵀδ(l+1) .* g'(z(l)) vanishes there;
//   L7  dead ReLU   units never active (output > 0) over the period: g' = 0
//                   passes them no δ, so they never recover;
//   L10 norms       per parameter ‖θ‖, the mean ‖∂J/∂θ‖ and the mean
//                   update-to-weight ratio ‖Δθ‖/‖θ‖ of the steps (Θ ← Θ − αD:
//                   a ratio far above 1e-3 says α is too large, far below too
//                   small; warnings for weights only, biases start near 0);
//   L3/L4 log(0)    probabilities of exactly 0 or 1 reaching binary
//                   cross-entropy, whose log h or log(1 − h) is then −∞.
// Activations are found on the recorded graph (after_forward walks it from
// the loss): every sigmoid, tanh and relu op, named by its GraphScope when
// one was open, else by the parameter feeding the op before it ("relu after
// 0.weight"). Only steps observed since the last report() count.
// Costs nothing unless used; when used, a graph walk and a pass over the
// activations per step, and a copy of the parameters before each step.
// Thread safety: none.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include "models/module.h"
#include "models/train/trainer.h"

namespace xgrad {

struct DiagnosticsOptions {
  double saturation_threshold = 0.01;  // g'(z) below this counts as saturated
  double saturation_warning = 0.25;    // warn above this fraction saturated
  double dead_warning = 0.10;          // warn above this fraction of dead ReLUs
  double symmetry_tolerance = 1e-6;    // |u − v| ≤ tol · max|·| counts as identical
  double large_update_ratio = 1e-1;    // warn above (α too large)
  double small_update_ratio = 1e-5;    // warn below (α too small)
};

struct DiagnosticLine {
  std::string reference;  // the lecture claim: "L11", "L7", "L10", "L3/L4"
  std::string check;      // "symmetry", "saturation", "dead ReLU", "norms", "log(0)"
  std::string where;      // a parameter or an activation: "0.weight", "relu after 0.weight"
  std::string message;
  bool warning = false;  // the lecture's warning applies
};

// Units that are copies of one another: `groups` sets of two or more
// identical units holding `units_in_groups` of the `units` in all.
struct Symmetry {
  std::size_t units = 0, groups = 0, units_in_groups = 0, largest = 0;
};

// Rows of `weight` (dim >= 2; row i = the incoming weights of unit i, all
// trailing dims flattened), with bias[i] appended when `bias` is defined.
// Rows u, v are identical when max |u − v| <= tolerance · max(|u|, |v|).
Symmetry identical_rows(const Array& weight, const Array& bias, double tolerance);
// Columns (units) of activations (N, ...) over the batch; columns that are
// zero for every example are skipped when skip_zero (dead ReLUs, reported
// apart).
Symmetry identical_columns(const Array& activations, double tolerance, bool skip_zero);

class Diagnostics : public TrainObserver {
 public:
  explicit Diagnostics(std::vector<Parameter> params, DiagnosticsOptions options = {});

  void after_forward(const Tensor& loss) override;
  void before_step(const Optimizer& optimizer) override;
  void after_step(const Optimizer& optimizer) override;
  // Prints "diagnostics after epoch N" and format() of report() to `log`.
  void end_epoch(std::size_t epoch, std::FILE* log) override;

  // The findings since the last report (weight symmetry and norms from the
  // parameters now), then starts a new period.
  std::vector<DiagnosticLine> report();

  // One line per finding, "  ! L11 symmetry   0.weight: ..." ('!' marks a warning).
  static std::string format(const std::vector<DiagnosticLine>& lines);

 private:
  struct Layer {
    std::string op, label;
    std::size_t units = 0;
    std::size_t values = 0, saturated = 0;  // sigmoid, tanh
    std::vector<unsigned char> active;      // relu: unit was > 0 at least once
    Array last;                             // the last batch's output
  };
  struct Norms {
    double grad_sum = 0, ratio_sum = 0, ratio_max = 0;
    std::size_t steps = 0, ratio_steps = 0;  // ratios only from θ ≠ 0
  };
  std::vector<Parameter> params_;
  DiagnosticsOptions options_;
  std::vector<Layer> layers_;  // in forward order
  std::vector<Norms> norms_;   // per parameter
  std::vector<Array> before_;  // parameter values before the step
  std::size_t bce_values_ = 0, bce_extreme_ = 0, steps_ = 0;
};

}  // namespace xgrad
