// Normalisation layers (PyTorch's nn.LayerNorm, nn.BatchNorm1d, nn.BatchNorm2d)
// over the fused ops layer_norm and batch_norm (ops/normalization.h).
//
// LayerNorm(normalized_shape, eps = 1e-5, elementwise_affine = true, dtype)
//   name "LayerNorm((64), eps=1e-05)"
//   normalises over the last len(normalized_shape) dims, which must equal
//   normalized_shape: y = (x - μ) / sqrt(σ² + eps) · weight + bias
//   parameters (elementwise_affine): weight normalized_shape [norm weight] = 1,
//     bias normalized_shape [bias] = 0
//   input (*, normalized_shape) -> output: same shape
//
// BatchNorm1d(num_features, eps = 1e-5, momentum = 0.1, affine = true,
//             track_running_stats = true, dtype)    input (N, C) or (N, C, L)
// BatchNorm2d(same arguments)                       input (N, C, H, W)
//   name "BatchNorm2d(16, eps=1e-05, momentum=0.1)"
//   parameters (affine): weight (C) [norm weight] = 1, bias (C) [bias] = 0
//   buffers (track_running_stats): running_mean (C) = 0, running_var (C) = 1
//     (in the module's dtype: to() converts them), num_batches_tracked ()
//     int64 = 0; all three are in state_dict() and so in checkpoints.
//   training (train()): normalises with the batch's mean and biased variance;
//     with running stats, num_batches_tracked += 1 and
//       running = (1 - m) running + m · batch statistic, the variance UNBIASED
//     where m = momentum, or 1 / num_batches_tracked (a cumulative average)
//     when momentum is std::nullopt (PyTorch's momentum=None).
//   eval (eval()): normalises with the running statistics; without them
//     (track_running_stats = false) with the batch's, as PyTorch.
//   A batch of one example per channel (N · L = 1) cannot be normalised in
//   training: ValueError (from the op).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "models/module.h"

namespace xgrad {

class LayerNorm : public Module {
 public:
  explicit LayerNorm(Shape normalized_shape, double eps = 1e-5, bool elementwise_affine = true,
                     DType dtype = kFloat32);
  // LayerNorm(64): the last dimension.
  explicit LayerNorm(std::size_t normalized_size, double eps = 1e-5, bool elementwise_affine = true,
                     DType dtype = kFloat32)
      : LayerNorm(Shape{normalized_size}, eps, elementwise_affine, dtype) {}

  Tensor forward(const Tensor& x) override;
  std::string name() const override;

  const Shape& normalized_shape() const { return shape_; }
  double eps() const { return eps_; }
  const Tensor& weight() const { return weight_; }  // undefined without elementwise_affine
  const Tensor& bias() const { return bias_; }

 private:
  Shape shape_;
  double eps_;
  Tensor weight_, bias_;
};

// The common part of BatchNorm1d and BatchNorm2d (PyTorch's _BatchNorm).
class BatchNorm : public Module {
 public:
  Tensor forward(const Tensor& x) override;
  std::string name() const override;

  std::size_t num_features() const { return c_; }
  double eps() const { return eps_; }
  std::optional<double> momentum() const { return momentum_; }
  bool affine() const { return weight_.defined(); }
  bool track_running_stats() const { return track_; }
  const Tensor& weight() const { return weight_; }  // undefined without affine
  const Tensor& bias() const { return bias_; }
  // Copies of the buffers; REQUIRES track_running_stats.
  Array running_mean() const;
  Array running_var() const;
  std::int64_t num_batches_tracked() const;
  // Running statistics back to 0 and 1, the counter to 0.
  void reset_running_stats();

 protected:
  BatchNorm(const char* kind, std::size_t min_dim, std::size_t max_dim, std::size_t num_features,
            double eps, std::optional<double> momentum, bool affine, bool track_running_stats,
            DType dtype);

 private:
  void check_input(const Tensor& x) const;

  const char* kind_;
  std::size_t min_dim_, max_dim_;
  std::size_t c_;
  double eps_;
  std::optional<double> momentum_;
  bool track_;
  Tensor weight_, bias_;
  std::size_t mean_ = 0, var_ = 0, count_ = 0;  // buffer indices
};

class BatchNorm1d : public BatchNorm {
 public:
  explicit BatchNorm1d(std::size_t num_features, double eps = 1e-5,
                       std::optional<double> momentum = 0.1, bool affine = true,
                       bool track_running_stats = true, DType dtype = kFloat32)
      : BatchNorm("BatchNorm1d", 2, 3, num_features, eps, momentum, affine, track_running_stats,
                  dtype) {}
};

class BatchNorm2d : public BatchNorm {
 public:
  explicit BatchNorm2d(std::size_t num_features, double eps = 1e-5,
                       std::optional<double> momentum = 0.1, bool affine = true,
                       bool track_running_stats = true, DType dtype = kFloat32)
      : BatchNorm("BatchNorm2d", 4, 4, num_features, eps, momentum, affine, track_running_stats,
                  dtype) {}
};

}  // namespace xgrad
