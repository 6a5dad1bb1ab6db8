// Initialisers: write a parameter's value in place (under NoGradGuard, via
// Tensor::mutable_value), keeping its shape and dtype; random ones draw
// from a seeded Generator, so an initialisation is reproducible and the
// same for any thread count.
//
// fan_in / fan_out from the weight's shape: (out, in) for Linear, (Cout,
// Cin, KH, KW) for convolutions: fan_in = in · KH · KW, fan_out = out · KH ·
// KW (the receptive field multiplies both).
//
//   constant_(c)           θ = c                         (zeros_: c = 0)
//   normal_(σ, μ)          θ ~ N(μ, σ²)                  (the lecture's small Gaussian, L11)
//   uniform_(a, b)         θ ~ U(a, b)
//   xavier_uniform_(gain)  θ ~ U(−r, r), r = gain · √(6 / (fan_in + fan_out))
//                                                        (Glorot & Bengio 2010)
//   xavier_normal_(gain)   θ ~ N(0, σ²), σ = gain · √(2 / (fan_in + fan_out))
//   he_uniform_            θ ~ U(−r, r), r = √(6 / fan_in)  (He et al. 2015, "Kaiming";
//   he_normal_             θ ~ N(0, σ²), σ = √(2 / fan_in)   for ReLU)
//
// The fan-based initialisers need at least two dimensions (ShapeError).
// The tensor is passed by value: a Tensor is a handle, and the write goes
// to the leaf it shares with the module. REQUIRES: a leaf.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "framework/generator.h"
#include "framework/tensor.h"
#include "models/module.h"

namespace xgrad {

struct Fans {
  std::size_t in = 0;
  std::size_t out = 0;
};
// ShapeError "<op>: needs a weight of at least 2 dimensions (out, in, ...): shape (10)".
Fans compute_fans(const Shape& shape, const std::string& op = "compute_fans");

void constant_(Tensor t, double value);
void zeros_(Tensor t);
void normal_(Tensor t, double stddev, Generator& gen, double mean = 0);
void uniform_(Tensor t, double low, double high, Generator& gen);
void xavier_uniform_(Tensor t, Generator& gen, double gain = 1);
void xavier_normal_(Tensor t, Generator& gen, double gain = 1);
void he_uniform_(Tensor t, Generator& gen);
void he_normal_(Tensor t, Generator& gen);

// An initialiser as a value, for init_module and command lines.
struct Init {
  enum class Kind {
    kConstant,
    kNormal,
    kUniform,
    kXavierUniform,
    kXavierNormal,
    kHeUniform,
    kHeNormal
  };
  Kind kind = Kind::kConstant;
  double a = 0;  // constant: value; normal: σ; uniform: low; xavier: gain
  double b = 0;  // normal: μ; uniform: high

  static Init constant(double value) { return {Kind::kConstant, value, 0}; }
  static Init zeros() { return constant(0); }
  static Init normal(double stddev, double mean = 0) { return {Kind::kNormal, stddev, mean}; }
  static Init uniform(double low, double high) { return {Kind::kUniform, low, high}; }
  static Init xavier_uniform(double gain = 1) { return {Kind::kXavierUniform, gain, 0}; }
  static Init xavier_normal(double gain = 1) { return {Kind::kXavierNormal, gain, 0}; }
  static Init he_uniform() { return {Kind::kHeUniform, 0, 0}; }
  static Init he_normal() { return {Kind::kHeNormal, 0, 0}; }

  void apply(Tensor t, Generator& gen) const;
  // "zeros", "constant:0.5", "normal:0.01", "uniform:-0.1:0.1",
  // "xavier_uniform", "xavier_normal", "he_uniform", "he_normal": the
  // table's name with the fewest arguments that give this a and b.
  std::string name() const;
};

// The initialisers by name, once: Init::name, parse_init and help texts
// come from this table. A row takes min_args..max_args numbers after its
// name ("normal:0.01:0"), which become a and b; omitted ones take
// `defaults`.
struct InitKind {
  Init::Kind kind;
  const char* name;   // "normal"
  const char* usage;  // "normal:std[:mean]"
  std::size_t min_args, max_args;
  double defaults[2];  // a and b when not given
  const char* help;    // one line
  void (*apply)(Tensor t, Generator& gen, double a, double b);
};
const std::vector<InitKind>& init_table();

// The inverse of Init::name (also "normal:std:mean", "xavier_uniform:gain");
// ValueError naming the text otherwise.
Init parse_init(const std::string& text);

// Applies `weights` to every kWeight parameter and `biases` to every kBias
// parameter, in parameters() order, drawing from gen; kNormWeight
// parameters (LayerNorm/BatchNorm scales) keep their ones. Errors name the
// parameter ("init_module: 0.bias: xavier_uniform: needs ...") and keep
// their type (ShapeError or ValueError).
void init_module(Module& module, const Init& weights, const Init& biases, Generator& gen);

}  // namespace xgrad
