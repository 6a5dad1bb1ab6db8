#include "models/lecture/lecture_network.h"

#include <string>

#include "framework/grad_mode.h"
#include "framework/record.h"
#include "ops/arithmetic.h"
#include "ops/concat.h"
#include "ops/linear.h"
#include "ops/sigmoid.h"
#include "ops/sum_of_squares.h"

namespace xgrad {

namespace {

// The slide prepends a0 = 1 to a(l) before multiplying by Θ(l): [1 | A]
// (N, s+1) is a column of ones concatenated with A, a copy, so z(l+1) is
// computed from exactly the slide's numbers; concat's backward hands
// ∂J/∂[1 | A] minus its column 0 back to A.
Tensor with_bias_unit(const Tensor& a) {
  return concat({Tensor(Array::full({a.shape()[0], 1}, 1.0, a.dtype())), a}, 1);
}

std::string sizes_text(const std::vector<std::size_t>& sizes) {
  std::string out;
  for (std::size_t i = 0; i < sizes.size(); ++i) out += (i ? "-" : "") + std::to_string(sizes[i]);
  return out;
}

}  // namespace

LectureNetwork::LectureNetwork(std::vector<std::size_t> sizes, Generator& gen, DType dtype,
                               double init_stddev) {
  if (sizes.size() < 2) {
    throw ValueError("LectureNetwork: needs at least 2 layer sizes (input and output), got " +
                     std::to_string(sizes.size()));
  }
  for (std::size_t s : sizes) {
    if (s == 0)
      throw ValueError("LectureNetwork: layer sizes must be positive: " + sizes_text(sizes));
  }
  std::vector<Array> thetas;
  for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
    thetas.push_back(gen.normal({sizes[l + 1], sizes[l] + 1}, 0.0, init_stddev, dtype));
  }
  init_from(thetas);
}

LectureNetwork::LectureNetwork(const std::vector<Array>& thetas) { init_from(thetas); }

void LectureNetwork::init_from(const std::vector<Array>& thetas) {
  if (thetas.empty()) throw ValueError("LectureNetwork: needs at least one Θ matrix");
  for (std::size_t l = 0; l < thetas.size(); ++l) {
    const std::string name = "theta" + std::to_string(l + 1);
    const Array& t = thetas[l];
    if (t.dim() != 2 || t.shape()[0] == 0 || t.shape()[1] < 2) {
      throw_shape_error("LectureNetwork", name + " must be 2-D (s_{l+1}, s_l + 1) with s_l >= 1",
                        name, t.shape());
    }
    if (l > 0 && t.shape()[1] != thetas[l - 1].shape()[0] + 1) {
      const std::string prev = "theta" + std::to_string(l);
      throw_shape_error("LectureNetwork", name + " must have 1 + rows of " + prev + " columns",
                        prev, thetas[l - 1].shape(), name, t.shape());
    }
    if (t.dtype() != thetas[0].dtype()) {
      throw DTypeError("LectureNetwork: every Θ must have one dtype: theta1 " +
                       std::string(dtype_name(thetas[0].dtype())) + ", " + name + " " +
                       dtype_name(t.dtype()));
    }
    if (l == 0) sizes_.push_back(t.shape()[1] - 1);
    sizes_.push_back(t.shape()[0]);
    thetas_.push_back(register_parameter(name, Tensor(t), ParamRole::kWeight));
  }
}

std::string LectureNetwork::name() const { return "LectureNetwork(" + sizes_text(sizes_) + ")"; }

const Tensor& LectureNetwork::theta(std::size_t l) const {
  if (l < 1 || l >= sizes_.size()) {
    throw ValueError(name() + ": no Θ(" + std::to_string(l) + "); layers are 1.." +
                     std::to_string(sizes_.size() - 1));
  }
  return thetas_[l - 1];
}

LectureActivations LectureNetwork::forward_layers(const Tensor& x) const {
  if (x.dim() != 2 || x.shape()[1] != sizes_[0]) {
    throw_shape_error(name(), "input must have " + std::to_string(sizes_[0]) + " columns", "input",
                      x.shape());
  }
  check_same_dtype(name(), x, thetas_[0], "input", "theta1");
  const std::size_t L = sizes_.size();
  LectureActivations act{std::vector<Tensor>(L + 1), std::vector<Tensor>(L + 1)};
  act.a[1] = x;  // a(1) = x
  for (std::size_t l = 1; l < L; ++l) {
    act.z[l + 1] = linear(with_bias_unit(act.a[l]), thetas_[l - 1]);  // z(l+1) = [1 | a(l)] Θ(l)ᵀ
    act.a[l + 1] = sigmoid(act.z[l + 1]);                             // a(l+1) = g(z(l+1))
  }
  return act;
}

Tensor LectureNetwork::forward(const Tensor& x) { return forward_layers(x).output(); }

Tensor LectureNetwork::penalty(double lambda, double n, L2Convention convention) const {
  const double c = l2_coefficient(lambda, n, convention);
  Tensor total;
  for (const Tensor& theta : thetas_) {
    const std::size_t cols = theta.shape()[1];
    Array mask = Array::full({1, cols}, 1.0, theta.dtype());
    mask.set(0, 0.0);  // column 0, the bias, is not penalised (Σ over j ≥ 1)
    Tensor s = sum_of_squares(theta * Tensor(std::move(mask)));
    total = total.defined() ? total + s : s;
  }
  return total * c;
}

std::vector<std::shared_ptr<Linear>> LectureNetwork::to_linear() const {
  std::vector<std::shared_ptr<Linear>> out;
  Generator unused(0);  // Linear draws an initialisation that is overwritten below
  NoGradGuard no_grad;
  for (const Tensor& theta : thetas_) {
    auto [w, b] = weight_bias_from_theta(theta.value());
    auto layer = std::make_shared<Linear>(w.shape()[1], w.shape()[0], unused, true, w.dtype());
    Tensor weight = layer->weight(), bias = layer->bias();
    weight.mutable_value() = std::move(w);
    bias.mutable_value() = std::move(b);
    out.push_back(std::move(layer));
  }
  return out;
}

std::shared_ptr<LectureNetwork> LectureNetwork::from_linear(
    const std::vector<std::shared_ptr<Linear>>& layers) {
  std::vector<Array> thetas;
  for (const auto& layer : layers) {
    if (!layer) throw ValueError("LectureNetwork::from_linear: null layer");
    thetas.push_back(theta_from_weight_bias(layer->weight().value(),
                                            layer->has_bias() ? layer->bias().value() : Array()));
  }
  return std::make_shared<LectureNetwork>(thetas);
}

Array theta_from_weight_bias(const Array& weight, const Array& bias) {
  if (weight.dim() != 2)
    throw_shape_error("theta_from_weight_bias", "weight must be 2-D", "weight", weight.shape());
  const std::size_t out = weight.shape()[0], in = weight.shape()[1];
  if (bias.defined() && (bias.dim() != 1 || bias.shape()[0] != out)) {
    throw_shape_error("theta_from_weight_bias", "bias must be (out) with out = weight rows", "bias",
                      bias.shape(), "weight", weight.shape());
  }
  if (bias.defined() && bias.dtype() != weight.dtype()) {
    throw DTypeError("theta_from_weight_bias: dtypes must match: weight " +
                     std::string(dtype_name(weight.dtype())) + ", bias " +
                     dtype_name(bias.dtype()));
  }
  Array theta = Array::zeros({out, in + 1}, weight.dtype());
  for (std::size_t i = 0; i < out; ++i) {
    if (bias.defined()) theta.set(i * (in + 1), bias.at(i));
    for (std::size_t j = 0; j < in; ++j) theta.set(i * (in + 1) + j + 1, weight.at(i * in + j));
  }
  return theta;
}

std::pair<Array, Array> weight_bias_from_theta(const Array& theta) {
  if (theta.dim() != 2 || theta.shape()[1] < 2) {
    throw_shape_error("weight_bias_from_theta", "theta must be 2-D with at least 2 columns",
                      "theta", theta.shape());
  }
  const std::size_t out = theta.shape()[0], in = theta.shape()[1] - 1;
  Array w = Array::empty({out, in}, theta.dtype());
  Array b = Array::empty({out}, theta.dtype());
  for (std::size_t i = 0; i < out; ++i) {
    b.set(i, theta.at(i * (in + 1)));
    for (std::size_t j = 0; j < in; ++j) w.set(i * in + j, theta.at(i * (in + 1) + j + 1));
  }
  return {std::move(w), std::move(b)};
}

}  // namespace xgrad
