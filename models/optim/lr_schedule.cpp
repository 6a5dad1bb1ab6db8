#include "models/optim/lr_schedule.h"

#include <algorithm>
#include <cmath>

#include "framework/error.h"
#include "models/format.h"

namespace xgrad {

namespace {
constexpr double kPi = 3.14159265358979323846;

void require(bool ok, const std::string& who, const std::string& what, double value) {
  if (!ok) throw ValueError(who + ": " + what + ", got " + format_number(value));
}

void require_increasing(const std::string& who, const std::vector<std::size_t>& milestones) {
  for (std::size_t i = 1; i < milestones.size(); ++i) {
    if (milestones[i] <= milestones[i - 1]) {
      throw ValueError(who + ": milestones must increase, got " +
                       std::to_string(milestones[i - 1]) + " then " +
                       std::to_string(milestones[i]));
    }
  }
}

// The number of milestones <= t (Python's bisect_right).
std::size_t passed(const std::vector<std::size_t>& milestones, std::size_t t) {
  return std::size_t(std::upper_bound(milestones.begin(), milestones.end(), t) -
                     milestones.begin());
}
}  // namespace

LRScheduler::LRScheduler(Optimizer& optimizer) : optimizer_(&optimizer) {
  for (ParamGroup& g : optimizer.groups_) {
    if (!g.initial_lr) g.initial_lr = g.lr;
    base_lrs_.push_back(*g.initial_lr);
  }
}

void LRScheduler::step() { set_last_epoch(t_ + 1); }

void LRScheduler::set_last_epoch(std::size_t t) {
  if (base_lrs_.size() != optimizer_->param_groups().size()) {
    throw ValueError(name() + ": made for " + std::to_string(base_lrs_.size()) +
                     " parameter groups, the optimiser has " +
                     std::to_string(optimizer_->param_groups().size()) +
                     " (make the scheduler after add_param_group)");
  }
  std::vector<double> lrs;
  for (double b : base_lrs_) lrs.push_back(lr_at(b, t));  // checked before any is set
  for (std::size_t g = 0; g < lrs.size(); ++g) {
    require(lrs[g] >= 0 && std::isfinite(lrs[g]), name(),
            "the learning rate at step " + std::to_string(t) + " must be non-negative and finite",
            lrs[g]);
  }
  for (std::size_t g = 0; g < lrs.size(); ++g) optimizer_->set_lr(g, lrs[g]);
  t_ = t;
}

std::vector<double> LRScheduler::get_last_lr() const {
  std::vector<double> out;
  for (const ParamGroup& g : optimizer_->param_groups()) out.push_back(*g.lr);
  return out;
}

LambdaLR::LambdaLR(Optimizer& optimizer, std::function<double(std::size_t)> lr_lambda)
    : LRScheduler(optimizer), lambda_(std::move(lr_lambda)) {
  if (!lambda_) throw ValueError("LambdaLR: lr_lambda is empty");
  start();
}

double LambdaLR::lr_at(double base_lr, std::size_t t) const { return base_lr * lambda_(t); }

StepLR::StepLR(Optimizer& optimizer, std::size_t step_size, double gamma)
    : LRScheduler(optimizer), step_size_(step_size), gamma_(gamma) {
  if (step_size == 0) throw ValueError("StepLR: step_size must be positive");
  require(gamma >= 0 && std::isfinite(gamma), "StepLR", "gamma must be non-negative", gamma);
  start();
}

double StepLR::lr_at(double base_lr, std::size_t t) const {
  return base_lr * std::pow(gamma_, double(t / step_size_));
}

std::string StepLR::name() const {
  return "StepLR(step_size=" + std::to_string(step_size_) + ", gamma=" + format_number(gamma_) +
         ")";
}

MultiStepLR::MultiStepLR(Optimizer& optimizer, std::vector<std::size_t> milestones, double gamma)
    : LRScheduler(optimizer), milestones_(std::move(milestones)), gamma_(gamma) {
  require_increasing("MultiStepLR", milestones_);
  require(gamma >= 0 && std::isfinite(gamma), "MultiStepLR", "gamma must be non-negative", gamma);
  start();
}

double MultiStepLR::lr_at(double base_lr, std::size_t t) const {
  return base_lr * std::pow(gamma_, double(passed(milestones_, t)));
}

std::string MultiStepLR::name() const {
  std::string m;
  for (std::size_t v : milestones_) m += (m.empty() ? "" : ", ") + std::to_string(v);
  return "MultiStepLR(milestones=[" + m + "], gamma=" + format_number(gamma_) + ")";
}

ExponentialLR::ExponentialLR(Optimizer& optimizer, double gamma)
    : LRScheduler(optimizer), gamma_(gamma) {
  require(gamma >= 0 && std::isfinite(gamma), "ExponentialLR", "gamma must be non-negative", gamma);
  start();
}

double ExponentialLR::lr_at(double base_lr, std::size_t t) const {
  return base_lr * std::pow(gamma_, double(t));
}

std::string ExponentialLR::name() const {
  return "ExponentialLR(gamma=" + format_number(gamma_) + ")";
}

ConstantLR::ConstantLR(Optimizer& optimizer, double factor, std::size_t total_iters)
    : LRScheduler(optimizer), factor_(factor), total_iters_(total_iters) {
  require(factor >= 0 && factor <= 1, "ConstantLR", "factor must be in [0, 1]", factor);
  start();
}

double ConstantLR::lr_at(double base_lr, std::size_t t) const {
  return t < total_iters_ ? base_lr * factor_ : base_lr;
}

std::string ConstantLR::name() const {
  return "ConstantLR(factor=" + format_number(factor_) +
         ", total_iters=" + std::to_string(total_iters_) + ")";
}

LinearLR::LinearLR(Optimizer& optimizer, double start_factor, double end_factor,
                   std::size_t total_iters)
    : LRScheduler(optimizer), start_(start_factor), end_(end_factor), total_iters_(total_iters) {
  require(start_factor > 0 && start_factor <= 1, "LinearLR", "start_factor must be in (0, 1]",
          start_factor);
  require(end_factor >= 0 && end_factor <= 1, "LinearLR", "end_factor must be in [0, 1]",
          end_factor);
  if (total_iters == 0) throw ValueError("LinearLR: total_iters must be positive");
  start();
}

double LinearLR::lr_at(double base_lr, std::size_t t) const {
  const double progress = double(std::min(t, total_iters_)) / double(total_iters_);
  return base_lr * (start_ + (end_ - start_) * progress);
}

std::string LinearLR::name() const {
  return "LinearLR(start_factor=" + format_number(start_) + ", end_factor=" + format_number(end_) +
         ", total_iters=" + std::to_string(total_iters_) + ")";
}

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, std::size_t T_max, double eta_min)
    : LRScheduler(optimizer), t_max_(T_max), eta_min_(eta_min) {
  if (T_max == 0) throw ValueError("CosineAnnealingLR: T_max must be positive");
  require(eta_min >= 0 && std::isfinite(eta_min), "CosineAnnealingLR",
          "eta_min must be non-negative and finite", eta_min);
  start();
}

double CosineAnnealingLR::lr_at(double base_lr, std::size_t t) const {
  return eta_min_ + (base_lr - eta_min_) * (1 + std::cos(kPi * double(t) / double(t_max_))) / 2;
}

std::string CosineAnnealingLR::name() const {
  return "CosineAnnealingLR(T_max=" + std::to_string(t_max_) +
         ", eta_min=" + format_number(eta_min_) + ")";
}

SequentialLR::SequentialLR(Optimizer& optimizer,
                           std::vector<std::shared_ptr<LRScheduler>> schedulers,
                           std::vector<std::size_t> milestones)
    : LRScheduler(optimizer),
      schedulers_(std::move(schedulers)),
      milestones_(std::move(milestones)) {
  if (schedulers_.size() != milestones_.size() + 1) {
    throw ValueError("SequentialLR: " + std::to_string(schedulers_.size()) + " schedulers need " +
                     std::to_string(schedulers_.size() - (schedulers_.empty() ? 0 : 1)) +
                     " milestones, got " + std::to_string(milestones_.size()));
  }
  for (std::size_t i = 0; i < schedulers_.size(); ++i) {
    if (!schedulers_[i] || &schedulers_[i]->optimizer() != &optimizer) {
      throw ValueError("SequentialLR: scheduler " + std::to_string(i) +
                       (schedulers_[i] ? " is over another optimiser" : " is null"));
    }
  }
  require_increasing("SequentialLR", milestones_);
  start();
}

double SequentialLR::lr_at(double base_lr, std::size_t t) const {
  const std::size_t i = passed(milestones_, t);
  return schedulers_[i]->lr_at(base_lr, i == 0 ? t : t - milestones_[i - 1]);
}

std::string SequentialLR::name() const {
  std::string s = "SequentialLR(";
  for (std::size_t i = 0; i < schedulers_.size(); ++i) {
    if (i) s += ", until " + std::to_string(milestones_[i - 1]) + ", then ";
    s += schedulers_[i]->name();
  }
  return s + ")";
}

OneCycleLR::OneCycleLR(Optimizer& optimizer, double max_lr, std::size_t total_steps,
                       double pct_start, double div_factor, double final_div_factor)
    : LRScheduler(optimizer),
      max_lr_(max_lr),
      total_steps_(total_steps),
      pct_start_(pct_start),
      div_factor_(div_factor),
      final_div_factor_(final_div_factor) {
  require(max_lr >= 0 && std::isfinite(max_lr), "OneCycleLR",
          "max_lr must be non-negative and finite", max_lr);
  if (total_steps < 2) throw ValueError("OneCycleLR: total_steps must be at least 2");
  require(pct_start > 0 && pct_start < 1, "OneCycleLR", "pct_start must be in (0, 1)", pct_start);
  require(div_factor > 0 && std::isfinite(div_factor), "OneCycleLR", "div_factor must be positive",
          div_factor);
  require(final_div_factor > 0 && std::isfinite(final_div_factor), "OneCycleLR",
          "final_div_factor must be positive", final_div_factor);
  start();
}

double OneCycleLR::lr_at(double, std::size_t t) const {
  if (t > total_steps_) {
    throw ValueError("OneCycleLR: stepped " + std::to_string(t) + " times; total_steps is " +
                     std::to_string(total_steps_));
  }
  // PyTorch's two phases: [0, p·N − 1] up, then down to step N − 1.
  const double initial = max_lr_ / div_factor_, min_lr = initial / final_div_factor_;
  const double peak = pct_start_ * double(total_steps_) - 1, last = double(total_steps_) - 1;
  const double s = double(t);
  const bool up = s <= peak;
  const double from = up ? 0.0 : peak, to = up ? peak : last;
  const double pct = to > from ? (s - from) / (to - from) : 1.0;
  const double start = up ? initial : max_lr_, end = up ? max_lr_ : min_lr;
  return end + (start - end) / 2 * (std::cos(kPi * pct) + 1);  // cosine annealing
}

std::string OneCycleLR::name() const {
  return "OneCycleLR(max_lr=" + format_number(max_lr_) +
         ", total_steps=" + std::to_string(total_steps_) +
         ", pct_start=" + format_number(pct_start_) + ")";
}

}  // namespace xgrad
