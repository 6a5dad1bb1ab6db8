#include "models/optim/lr_schedule.h"

#include <algorithm>
#include <cmath>

#include "framework/error.h"
#include "models/format.h"

namespace xgrad {

namespace {
constexpr double kPi = 3.14159265358979323846;

void check_lr(const char* who, double lr) {
  if (!(lr >= 0) || !std::isfinite(lr)) {
    throw ValueError(std::string(who) + ": lr must be non-negative and finite, got " +
                     format_number(lr));
  }
}
}  // namespace

ConstantLr::ConstantLr(double lr) : lr_(lr) { check_lr("ConstantLr", lr); }

double ConstantLr::lr_at(std::size_t) const { return lr_; }

std::string ConstantLr::name() const { return "constant(lr=" + format_number(lr_) + ")"; }

StepLr::StepLr(double lr, std::size_t step_epochs, double gamma)
    : lr_(lr), step_epochs_(step_epochs), gamma_(gamma) {
  check_lr("StepLr", lr);
  if (step_epochs == 0) throw ValueError("StepLr: step_epochs must be positive");
  if (!(gamma > 0) || !std::isfinite(gamma)) {
    throw ValueError("StepLr: gamma must be positive, got " + format_number(gamma));
  }
}

double StepLr::lr_at(std::size_t epoch) const {
  return lr_ * std::pow(gamma_, double(epoch / step_epochs_));
}

std::string StepLr::name() const {
  return "step(lr=" + format_number(lr_) + ", every " + std::to_string(step_epochs_) + " epochs x" +
         format_number(gamma_) + ")";
}

CosineLr::CosineLr(double lr, std::size_t total_epochs, double min_lr)
    : lr_(lr), total_epochs_(total_epochs), min_lr_(min_lr) {
  check_lr("CosineLr", lr);
  if (total_epochs == 0) throw ValueError("CosineLr: total_epochs must be positive");
  if (!(min_lr >= 0 && min_lr <= lr)) {
    throw ValueError("CosineLr: min_lr must be in [0, lr], got " + format_number(min_lr));
  }
}

double CosineLr::lr_at(std::size_t epoch) const {
  const double progress = double(std::min(epoch, total_epochs_)) / double(total_epochs_);
  return min_lr_ + (lr_ - min_lr_) * (1 + std::cos(kPi * progress)) / 2;
}

std::string CosineLr::name() const {
  return "cosine(lr=" + format_number(lr_) + " to " + format_number(min_lr_) + " over " +
         std::to_string(total_epochs_) + " epochs)";
}

}  // namespace xgrad
