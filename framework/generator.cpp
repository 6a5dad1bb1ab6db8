#include "framework/generator.h"

#include <cmath>
#include <utility>
#include <vector>

#include "framework/parallel.h"

namespace xgrad {

namespace {
std::uint64_t splitmix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr double kTwoPi = 6.283185307179586476925286766559;

// Fills `out` with draw(seed, first + i) in parallel; the value at i does
// not depend on how the range is split.
template <class Draw>
Array fill(const Shape& shape, DType dtype, std::uint64_t seed, std::uint64_t first, Draw draw) {
  Array out = Array::empty(shape, dtype);
  dispatch(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* y = out.data<T>();
    parallel_for(0, out.size(), kTranscendentalGrain, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) y[i] = T(draw(seed, first + i));
    });
  });
  return out;
}
}  // namespace

std::uint64_t Generator::bits(std::uint64_t seed, std::uint64_t counter) {
  return splitmix64(splitmix64(seed) ^ splitmix64(counter + 0x632be59bd9b4e019ULL));
}

double Generator::uniform01(std::uint64_t seed, std::uint64_t counter) {
  return double(bits(seed, counter) >> 11) * 0x1.0p-53;
}

// Box-Muller on two sub-streams of one counter: u1 in (0, 1] keeps log finite.
double Generator::standard_normal(std::uint64_t seed, std::uint64_t counter) {
  double u1 = 1.0 - uniform01(seed, 2 * counter);
  double u2 = uniform01(seed, 2 * counter + 1);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

Array Generator::uniform(const Shape& shape, double low, double high, DType dtype) {
  if (!(low <= high)) throw ValueError("uniform: low must not exceed high");
  std::uint64_t first = advance(shape_size(shape));
  return fill(shape, dtype, seed_, first, [low, high](std::uint64_t s, std::uint64_t c) {
    return low + (high - low) * uniform01(s, c);
  });
}

Array Generator::normal(const Shape& shape, double mean, double stddev, DType dtype) {
  if (!(stddev >= 0)) throw ValueError("normal: stddev must be non-negative");
  std::uint64_t first = advance(shape_size(shape));
  return fill(shape, dtype, seed_, first, [mean, stddev](std::uint64_t s, std::uint64_t c) {
    return mean + stddev * standard_normal(s, c);
  });
}

Array Generator::bernoulli(const Shape& shape, double p, DType dtype) {
  if (!(p >= 0 && p <= 1)) throw ValueError("bernoulli: p must be in [0, 1]");
  std::uint64_t first = advance(shape_size(shape));
  return fill(shape, dtype, seed_, first,
              [p](std::uint64_t s, std::uint64_t c) { return uniform01(s, c) < p ? 1.0 : 0.0; });
}

std::vector<std::size_t> Generator::permutation(std::size_t n) {
  std::vector<std::size_t> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = i;
  std::uint64_t first = advance(n);
  for (std::size_t i = n; i > 1; --i) {
    // Uniform j in [0, i): multiply-shift avoids modulo bias for i < 2^32.
    std::size_t j = std::size_t((bits(seed_, first + i - 1) >> 32) * std::uint64_t(i) >> 32);
    std::swap(p[i - 1], p[j]);
  }
  return p;
}

}  // namespace xgrad
