#include "models/layers/dropout.h"

#include "models/format.h"
#include "ops/dropout.h"

namespace xgrad {

namespace {
constexpr double kTwo32 = 4294967296.0;

void encode(std::uint64_t v, Array& a, std::size_t at) {
  a.set(at, double(v >> 32));
  a.set(at + 1, double(v & 0xffffffffULL));
}

std::uint64_t decode(const Array& a, std::size_t at) {
  const double hi = a.at(at), lo = a.at(at + 1);
  if (!(hi >= 0 && hi < kTwo32 && lo >= 0 && lo < kTwo32) || hi != double(std::uint64_t(hi)) ||
      lo != double(std::uint64_t(lo))) {
    throw ValueError("Dropout: rng_state must hold 32-bit unsigned integers");
  }
  return (std::uint64_t(hi) << 32) | std::uint64_t(lo);
}
}  // namespace

Dropout::Dropout(double p, std::uint64_t seed) : p_(p) {
  if (!(p >= 0 && p <= 1)) {
    throw ValueError("Dropout: p must be in [0, 1], got " + format_number(p));
  }
  rng_state_ = register_buffer("rng_state", Array::zeros({4}, kFloat64));
  set_generator(Generator(seed));
}

std::string Dropout::name() const { return "Dropout(p=" + format_number(p_) + ")"; }

Generator Dropout::generator() const {
  Generator gen;
  gen.set_state(decode(buffer(rng_state_), 0), decode(buffer(rng_state_), 2));
  return gen;
}

void Dropout::set_generator(const Generator& gen) {
  encode(gen.seed(), buffer(rng_state_), 0);
  encode(gen.offset(), buffer(rng_state_), 2);
}

Tensor Dropout::forward(const Tensor& x) {
  if (!is_training() || p_ == 0) return x;
  Generator gen = generator();
  Tensor y = dropout(x, p_, true, gen);
  set_generator(gen);
  return y;
}

}  // namespace xgrad
