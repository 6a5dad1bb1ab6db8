// Generator: seeded, counter-based random numbers.
//
// Every draw is a pure function of (seed, counter): value i of a request is
// hash(seed, offset + i), and a request of n values advances the offset by
// n. So a tensor of random numbers can be filled in parallel, chunk by
// chunk, and is the same for any thread count; and the whole state is two
// integers that a checkpoint can save and restore (resume is bit-exact).
// The mixer is SplitMix64's finaliser applied to the counter keyed by the
// seed (a counter-based generator in the sense of Salmon et al., 2011).
// Thread safety: a Generator is not shared between threads without locking;
// the static draw functions are pure.
#pragma once

#include <cstdint>
#include <vector>

#include "framework/array.h"

namespace xgrad {

class Generator {
 public:
  explicit Generator(std::uint64_t seed = 0) : seed_(seed) {}

  std::uint64_t seed() const { return seed_; }
  std::uint64_t offset() const { return offset_; }
  void set_state(std::uint64_t seed, std::uint64_t offset) {
    seed_ = seed;
    offset_ = offset;
  }
  // Reserves n counters and returns the first.
  std::uint64_t advance(std::uint64_t n) {
    std::uint64_t first = offset_;
    offset_ += n;
    return first;
  }

  // Arrays of independent draws.
  Array uniform(const Shape& shape, double low, double high, DType dtype = kFloat32);
  Array normal(const Shape& shape, double mean, double stddev, DType dtype = kFloat32);
  // 1 with probability p, else 0.
  Array bernoulli(const Shape& shape, double p, DType dtype = kFloat32);
  // A permutation of 0..n-1 (Fisher-Yates on this generator's stream).
  std::vector<std::size_t> permutation(std::size_t n);

  // Pure draws: uniform in [0, 1) with 53 random bits, and standard normal.
  static std::uint64_t bits(std::uint64_t seed, std::uint64_t counter);
  static double uniform01(std::uint64_t seed, std::uint64_t counter);
  static double standard_normal(std::uint64_t seed, std::uint64_t counter);

 private:
  std::uint64_t seed_;
  std::uint64_t offset_ = 0;
};

}  // namespace xgrad
