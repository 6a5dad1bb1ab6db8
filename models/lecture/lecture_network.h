// LectureNetwork: the lecture's layered sigmoid network, in its own notation.   (L1, L4, L7-L11)
//
// Layer l = 1..L has s_l units (sizes = {s_1, ..., s_L}). Θ(l), l = 1..L−1,
// maps layer l to layer l+1 and has shape s_{l+1} × (s_l + 1): column 0
// multiplies the bias unit a0(l) = 1. Every unit above the input is a sigmoid g:
//   a(1) = x,   z(l+1) = Θ(l) [1; a(l)],   a(l+1) = g(z(l+1)),   h(x) = a(L)
// A batch holds one example per row, X (N, s_1), so Z(l+1) = [1 | A(l)] Θ(l)ᵀ.
//
// The parameters are the Θ(l) matrices themselves, named "theta1", "theta2",
// ... with role kWeight, although column 0 holds biases: for the lecture's
// penalty (which leaves column 0 out) use penalty(), not l2_penalty(model).
// Conversion to and from ordinary layers: Linear weight = Θ(l)[:, 1:], bias =
// Θ(l)[:, 0].
// Thread safety: none; one thread uses a module at a time.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "framework/generator.h"
#include "models/layers/linear.h"
#include "models/module.h"
#include "models/penalty.h"

namespace xgrad {

// Every layer's z(l) and a(l), indexed by the lecture's layer number.
struct LectureActivations {
  std::vector<Tensor> z;  // z[l] = z(l), (N, s_l), for l = 2..L; z[0], z[1] undefined
  std::vector<Tensor> a;  // a[l] = a(l), (N, s_l), bias unit not included; a[1] = x; a[0] undefined
  const Tensor& output() const { return a.back(); }  // h(x) = a(L)
};

class LectureNetwork : public Module {
 public:
  // Θ(l) entries drawn from N(0, init_stddev²): small Gaussian values, not 0
  // (the lecture's initialisation; L10, L11). REQUIRES: at least 2 sizes, all > 0.
  LectureNetwork(std::vector<std::size_t> sizes, Generator& gen, DType dtype = kFloat32,
                 double init_stddev = 0.1);
  // From given Θ(1), ..., Θ(L−1) (copied); Θ(l+1) must have 1 + rows(Θ(l)) columns.
  explicit LectureNetwork(const std::vector<Array>& thetas);

  Tensor forward(const Tensor& x) override;  // a(L)
  // The whole forward pass, every layer kept (call retain_grad() on a z(l)
  // before backward to read ∂J/∂z(l), i.e. δ(l)/n for a mean cost).
  LectureActivations forward_layers(const Tensor& x) const;
  std::string name() const override;  // "LectureNetwork(3-5-4-2)"

  // The lecture's penalty over every Θ(l) without column 0:
  // l2_coefficient(λ, n, convention) · Σ_l Σ_i Σ_{j≥1} Θ_ij(l)².
  Tensor penalty(double lambda, double n, L2Convention convention) const;

  const std::vector<std::size_t>& sizes() const { return sizes_; }
  std::size_t layers() const { return sizes_.size(); }  // L
  // Θ(l) for l = 1..L−1 (ValueError otherwise); shares the parameter's node.
  const Tensor& theta(std::size_t l) const;

  // Ordinary layers with the same numbers (copies, new leaves).
  std::vector<std::shared_ptr<Linear>> to_linear() const;
  // From Linear layers applied in order (sigmoid between and after them);
  // a layer without bias gives a zero column 0.
  static std::shared_ptr<LectureNetwork> from_linear(
      const std::vector<std::shared_ptr<Linear>>& layers);

 private:
  void init_from(const std::vector<Array>& thetas);
  std::vector<std::size_t> sizes_;
  std::vector<Tensor> thetas_;  // thetas_[l - 1] = Θ(l)
};

// Θ = [b | W]: (out, in + 1) from weight (out, in) and bias (out), or a zero
// column when bias is undefined; and back. ShapeError on mismatched shapes.
Array theta_from_weight_bias(const Array& weight, const Array& bias);
std::pair<Array, Array> weight_bias_from_theta(const Array& theta);

}  // namespace xgrad
