// Learning-rate schedulers, as PyTorch's torch.optim.lr_scheduler: a
// scheduler is made over an optimiser and sets the learning rate of each of
// its parameter groups from a closed form of the number of step() calls t,
// so it can be stepped once per optimiser step (or once per epoch):
//
//   Adam opt(model->parameters(), 1e-3);
//   auto warmup = std::make_shared<LinearLR>(opt, 0.01, 1.0, 500);  // 1e-5 → 1e-3
//   auto cosine = std::make_shared<CosineAnnealingLR>(opt, 9500);    // 1e-3 → 0
//   SequentialLR sched(opt, {warmup, cosine}, {500});
//   for (...) { loss.backward(); opt.step(); sched.step(); }
//
// With b a group's base learning rate (its lr when the first scheduler over
// the optimiser was made: PyTorch's initial_lr) the learning rate after t
// step() calls is
//   LambdaLR(f)                       b · f(t)
//   StepLR(k, γ)                      b · γ^⌊t / k⌋
//   MultiStepLR({m_1 < m_2 ...}, γ)   b · γ^(number of m_i <= t)
//   ExponentialLR(γ)                  b · γ^t
//   ConstantLR(f, T)                  b · f for t < T, then b
//   LinearLR(f_0, f_1, T)             b · (f_0 + (f_1 − f_0) · min(t, T) / T)   (linear warm-up)
//   CosineAnnealingLR(T, η)           η + (b − η) · (1 + cos(π t / T)) / 2
//                                     (Loshchilov & Hutter 2017 without restarts;
//                                     past T the cosine goes on, as PyTorch's)
//   SequentialLR(s_0, s_1, ...; m_1 < m_2 ...)
//                                     s_i's lr at t − m_i, for m_i <= t < m_(i+1) (m_0 = 0)
//   OneCycleLR(a, N, p, d, d_f)       from a/d up to a over the first p·N − 1 steps, then
//                                     down to a/(d·d_f) at step N − 1, both halves cosine
//                                     (Smith & Topor 2017; PyTorch's phases; the learning
//                                     rate only: PyTorch's cycle_momentum = false);
//                                     stepping past N − 1 steps is a ValueError
// These are PyTorch's closed forms (get_closed_form_lr): a run resumed at
// step t needs only t (set_last_epoch(optimizer.step_count())), and the
// learning rates do not drift by rounding as a chained update would.
// Making a scheduler sets the learning rates for t = 0. The optimiser must
// outlive its schedulers.
// Thread safety: none.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/optim/optimizer.h"

namespace xgrad {

class LRScheduler {
 public:
  virtual ~LRScheduler() = default;

  // t ← t + 1, then every group's lr ← lr_at(its base lr, t).
  void step();
  // t ← `t`, and the learning rates for it (a resumed run: the optimiser's
  // step_count()).
  void set_last_epoch(std::size_t t);
  // t: the number of step() calls (PyTorch's name, though it counts steps
  // when stepped per step).
  std::size_t last_epoch() const { return t_; }
  // The groups' base learning rates (PyTorch's base_lrs).
  const std::vector<double>& base_lrs() const { return base_lrs_; }
  // The groups' learning rates as this scheduler last set them.
  std::vector<double> get_last_lr() const;
  Optimizer& optimizer() const { return *optimizer_; }

  // The learning rate after t steps of a group whose base learning rate is
  // base_lr: the closed form above.
  virtual double lr_at(double base_lr, std::size_t t) const = 0;
  // e.g. "StepLR(step_size=30, gamma=0.1)".
  virtual std::string name() const = 0;

 protected:
  // Records the base learning rates: each group's lr, unless a scheduler
  // made earlier over this optimiser recorded it (so schedulers for a
  // SequentialLR can be made one after another).
  explicit LRScheduler(Optimizer& optimizer);
  // Sets the learning rates for t = 0: the last line of a scheduler's
  // constructor.
  void start() { set_last_epoch(0); }

 private:
  Optimizer* optimizer_;
  std::vector<double> base_lrs_;
  std::size_t t_ = 0;
};

class LambdaLR : public LRScheduler {
 public:
  // b · lr_lambda(t). REQUIRES: lr_lambda defined (ValueError); its values
  // must be non-negative and finite (the optimiser's set_lr checks them).
  LambdaLR(Optimizer& optimizer, std::function<double(std::size_t)> lr_lambda);
  double lr_at(double base_lr, std::size_t t) const override;
  std::string name() const override { return "LambdaLR"; }

 private:
  std::function<double(std::size_t)> lambda_;
};

class StepLR : public LRScheduler {
 public:
  // REQUIRES: step_size > 0, gamma >= 0 and finite (ValueError).
  StepLR(Optimizer& optimizer, std::size_t step_size, double gamma = 0.1);
  double lr_at(double base_lr, std::size_t t) const override;
  std::string name() const override;

 private:
  std::size_t step_size_;
  double gamma_;
};

class MultiStepLR : public LRScheduler {
 public:
  // REQUIRES: milestones increasing, gamma >= 0 and finite (ValueError).
  MultiStepLR(Optimizer& optimizer, std::vector<std::size_t> milestones, double gamma = 0.1);
  double lr_at(double base_lr, std::size_t t) const override;
  std::string name() const override;

 private:
  std::vector<std::size_t> milestones_;
  double gamma_;
};

class ExponentialLR : public LRScheduler {
 public:
  // REQUIRES: gamma >= 0 and finite (ValueError).
  ExponentialLR(Optimizer& optimizer, double gamma);
  double lr_at(double base_lr, std::size_t t) const override;
  std::string name() const override;

 private:
  double gamma_;
};

class ConstantLR : public LRScheduler {
 public:
  // REQUIRES: factor in [0, 1] (ValueError).
  explicit ConstantLR(Optimizer& optimizer, double factor = 1.0 / 3, std::size_t total_iters = 5);
  double lr_at(double base_lr, std::size_t t) const override;
  std::string name() const override;

 private:
  double factor_;
  std::size_t total_iters_;
};

class LinearLR : public LRScheduler {
 public:
  // REQUIRES: start_factor in (0, 1], end_factor in [0, 1] (PyTorch's
  // bounds), total_iters > 0 (ValueError).
  explicit LinearLR(Optimizer& optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0,
                    std::size_t total_iters = 5);
  double lr_at(double base_lr, std::size_t t) const override;
  std::string name() const override;

 private:
  double start_, end_;
  std::size_t total_iters_;
};

class CosineAnnealingLR : public LRScheduler {
 public:
  // REQUIRES: T_max > 0, eta_min >= 0 and finite (ValueError).
  CosineAnnealingLR(Optimizer& optimizer, std::size_t T_max, double eta_min = 0);
  double lr_at(double base_lr, std::size_t t) const override;
  std::string name() const override;

 private:
  std::size_t t_max_;
  double eta_min_;
};

class SequentialLR : public LRScheduler {
 public:
  // REQUIRES: schedulers over `optimizer`, one more than milestones, which
  // increase (ValueError).
  SequentialLR(Optimizer& optimizer, std::vector<std::shared_ptr<LRScheduler>> schedulers,
               std::vector<std::size_t> milestones);
  double lr_at(double base_lr, std::size_t t) const override;
  std::string name() const override;

 private:
  std::vector<std::shared_ptr<LRScheduler>> schedulers_;
  std::vector<std::size_t> milestones_;
};

class OneCycleLR : public LRScheduler {
 public:
  // REQUIRES: max_lr >= 0 and finite, total_steps >= 2, pct_start in (0, 1),
  // div_factor and final_div_factor positive (ValueError).
  OneCycleLR(Optimizer& optimizer, double max_lr, std::size_t total_steps, double pct_start = 0.3,
             double div_factor = 25, double final_div_factor = 1e4);
  // Ignores base_lr (the cycle is set by max_lr, as PyTorch's).
  double lr_at(double base_lr, std::size_t t) const override;
  std::string name() const override;

 private:
  double max_lr_;
  std::size_t total_steps_;
  double pct_start_, div_factor_, final_div_factor_;
};

}  // namespace xgrad
