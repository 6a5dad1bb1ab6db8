// Learning-rate schedules: the learning rate for an epoch (counted from 0),
// applied by the training loop before each epoch:
//   for (std::size_t e = 0; e < epochs; ++e) { opt.set_lr(schedule.lr_at(e)); ...train... }
//   ConstantLr(α):          α
//   StepLr(α, k, γ):        α · γ^⌊e / k⌋                  (×γ every k epochs)
//   CosineLr(α, T, α_min):  α_min + (α − α_min) · (1 + cos(π · min(e, T) / T)) / 2
//                           (from α at epoch 0 down to α_min at epoch T, then
//                           α_min; Loshchilov & Hutter 2017 without restarts)
// Schedules are pure functions of the epoch, so a resumed run needs only
// its epoch number.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace xgrad {

class LrSchedule {
 public:
  virtual ~LrSchedule() = default;
  virtual double lr_at(std::size_t epoch) const = 0;
  // e.g. "step(lr=0.1, every 10 epochs x0.5)".
  virtual std::string name() const = 0;
};

class ConstantLr : public LrSchedule {
 public:
  // REQUIRES: lr >= 0 (ValueError).
  explicit ConstantLr(double lr);
  double lr_at(std::size_t epoch) const override;
  std::string name() const override;

 private:
  double lr_;
};

class StepLr : public LrSchedule {
 public:
  // REQUIRES: lr >= 0, step_epochs > 0, gamma > 0 (ValueError).
  StepLr(double lr, std::size_t step_epochs, double gamma = 0.1);
  double lr_at(std::size_t epoch) const override;
  std::string name() const override;

 private:
  double lr_;
  std::size_t step_epochs_;
  double gamma_;
};

class CosineLr : public LrSchedule {
 public:
  // REQUIRES: 0 <= min_lr <= lr, total_epochs > 0 (ValueError).
  CosineLr(double lr, std::size_t total_epochs, double min_lr = 0);
  double lr_at(std::size_t epoch) const override;
  std::string name() const override;

 private:
  double lr_;
  std::size_t total_epochs_;
  double min_lr_;
};

}  // namespace xgrad
