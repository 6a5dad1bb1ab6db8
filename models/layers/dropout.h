// Dropout layer (L13): inverted dropout (ops/dropout.h) while training,
// the identity in eval mode (after eval()).
//   Dropout(p = 0.5, seed)   name "Dropout(p=0.5)"
//   input: any shape -> output: same shape
// Randomness: each Dropout owns its Generator, seeded at construction (a
// model built from one seed gets the same masks on every run and for any
// thread count). Its state (seed and position in the stream) is a buffer
// named "rng_state", so Module::state_dict() saves it and a checkpointed
// run resumes with the very masks it would have drawn. Owning rather than
// sharing a generator keeps a layer's masks independent of what other
// layers draw, and its state inside the module's own state_dict.
// rng_state is float64 (4): the seed and the offset as 32-bit halves (hi,
// lo), exact in float64.
#pragma once

#include <cstdint>

#include "framework/generator.h"
#include "models/module.h"

namespace xgrad {

class Dropout : public Module {
 public:
  // REQUIRES: 0 <= p <= 1 (ValueError otherwise).
  explicit Dropout(double p = 0.5, std::uint64_t seed = 0);

  Tensor forward(const Tensor& x) override;
  std::string name() const override;

  double p() const { return p_; }
  // A copy of the layer's generator in its current state.
  Generator generator() const;
  void set_generator(const Generator& gen);

 private:
  double p_;
  std::size_t rng_state_;  // buffer index
};

}  // namespace xgrad
