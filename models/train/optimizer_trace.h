// OptimizerTrace: one parameter element followed through the optimiser's
// steps, its state printed beside the update rule it follows.
//
//   OptimizerTrace trace(optimizer, "0.weight[3,17]", stdout);
//   options.observers.push_back(&trace);   // Trainer: one row per step
//
// For SGD (L10), SGD with momentum (L14: δθ(t+1) = −α g + β δθ(t)) and
// Adam/AdamW (L15: m, v, m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t)) the row shows
// θ, g and the state, and θ' twice: as the rule computes it from the row's
// own numbers (in float64) and as the optimiser wrote it, so a reader can
// check the rule by hand. Other optimisers show θ, g, their state slots
// and θ'. g is the gradient the rule uses: with L2 weight decay it
// includes wd·θ (models/optim/optimizer.h).
// Thread safety: none.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "models/optim/optimizer.h"
#include "models/train/trainer.h"

namespace xgrad {

// One step of the traced element.
struct OptimizerTraceRow {
  std::uint64_t t = 0;  // the optimiser's step count after the step
  double lr = 0, theta = 0, grad = 0;
  std::vector<double> values;  // the columns between g and θ' (see columns())
  double rule_theta = 0;       // θ' by the rule, NaN for optimisers without one here
  double new_theta = 0;        // θ' as the optimiser wrote it
};

class OptimizerTrace : public TrainObserver {
 public:
  // `element`: "NAME[I]" (flat index) or "NAME[I,J,...]" (one index per
  // dim) of one of the optimiser's parameters. ValueError naming the
  // parameters, or the shape, when it matches none. `out` may be null.
  OptimizerTrace(const Optimizer& optimizer, const std::string& element, std::FILE* out);

  void before_step(const Optimizer& optimizer) override;
  void after_step(const Optimizer& optimizer) override;

  // The rule, one line: "SGD momentum (L14): delta(t+1) = -lr g + beta delta(t), ...".
  const std::string& rule() const { return rule_; }
  // Names of OptimizerTraceRow::values, e.g. {"m", "v", "m^", "v^"}.
  const std::vector<std::string>& columns() const { return columns_; }
  const std::vector<OptimizerTraceRow>& rows() const { return rows_; }
  // The element's parameter name and multi-index, "0.weight[3, 17]".
  const std::string& element() const { return label_; }

 private:
  enum class Kind { kSgd, kMomentum, kNesterov, kAdam, kOther };
  double slot_value(const Optimizer& optimizer, const std::string& slot) const;
  void print_header();

  std::string name_, label_, rule_;
  std::size_t param_ = 0, index_ = 0;
  Kind kind_ = Kind::kOther;
  std::vector<std::string> slots_;  // state slot names of this parameter ("m", "v", ...)
  std::vector<std::string> columns_;
  double beta_ = 0, beta1_ = 0, beta2_ = 0, eps_ = 0;
  bool l2_ = false, decoupled_ = false;
  double wd_ = 0;
  std::FILE* out_;
  OptimizerTraceRow pending_;
  std::vector<double> slots_before_;
  std::vector<OptimizerTraceRow> rows_;
};

}  // namespace xgrad
