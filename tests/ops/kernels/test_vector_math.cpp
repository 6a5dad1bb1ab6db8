// Tests for ops/kernels/vector_math.h: the vector sigmoid of every instruction set this CPU
// has, against 1 / (1 + e^-x) evaluated in double (within 3 float ulps: libmvec's expf
// and the division; the scalar path is within 2), at the special
// values (0, ±0, ±inf, NaN, far out), and the same bits for an element whatever the range
// it is computed in (thread splits and tails).
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "framework/generator.h"
#include "ops/kernels/cpu_isa.h"
#include "ops/kernels/vector_math.h"

using namespace xgrad;

namespace {
const kernels::Isa kIsas[] = {kernels::Isa::kScalar, kernels::Isa::kAvx2, kernels::Isa::kAvx512};

// Distance in float ulps (same sign assumed).
double ulps(float a, double exact) {
  const float e = float(exact);
  const double step = std::nextafter(e, std::numeric_limits<float>::infinity()) - double(e);
  return std::abs(double(a) - exact) / (step > 0 ? step : 1e-45);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_kernels_vector_math_tests)

BOOST_AUTO_TEST_CASE(sigmoid_within_three_ulps_of_the_double_formula) {
  Generator gen(3);
  std::vector<float> x;
  for (int i = -2000; i <= 2000; ++i) x.push_back(float(i) / 20);  // -100 .. 100 by 0.05
  const Array r = gen.uniform({5000}, -20, 20, kFloat32);
  for (std::size_t i = 0; i < r.size(); ++i) x.push_back(float(r.at(i)));
  std::vector<float> y(x.size());
  for (kernels::Isa isa : kIsas) {
    if (!kernels::cpu_supports(isa)) {
      BOOST_TEST_MESSAGE("skipping " << kernels::isa_name(isa) << ": not on this CPU");
      continue;
    }
    kernels::sigmoid_f32(x.data(), y.data(), x.size(), isa);
    double worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double exact = 1.0 / (1.0 + std::exp(-double(x[i])));
      // below float's normal range the formula's denormals are compared absolutely
      const double err =
          exact < 1e-37 ? (std::abs(y[i] - exact) < 1e-44 ? 0 : 99) : ulps(y[i], exact);
      worst = std::max(worst, err);
      BOOST_TEST_INFO(kernels::isa_name(isa) << " x = " << x[i]);
      BOOST_TEST(err <= (isa == kernels::Isa::kScalar ? 2.0 : 3.0));
    }
    BOOST_TEST_MESSAGE(kernels::isa_name(isa) << ": worst " << worst << " ulp");
  }
}

BOOST_AUTO_TEST_CASE(sigmoid_special_values) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> x{0.0f,    -0.0f,    inf,   -inf,  std::nanf(""),
                             1000.0f, -1000.0f, 88.0f, -88.0f};
  std::vector<float> y(x.size());
  for (kernels::Isa isa : kIsas) {
    if (!kernels::cpu_supports(isa)) continue;
    kernels::sigmoid_f32(x.data(), y.data(), x.size(), isa);
    BOOST_TEST_INFO(kernels::isa_name(isa));
    BOOST_TEST(y[0] == 0.5f);
    BOOST_TEST(y[1] == 0.5f);
    BOOST_TEST(y[2] == 1.0f);
    BOOST_TEST(y[3] == 0.0f);
    BOOST_TEST(std::isnan(y[4]));
    BOOST_TEST(y[5] == 1.0f);
    BOOST_TEST(y[6] == 0.0f);
    BOOST_TEST(y[7] == 1.0f);  // 1 − 6e-39 rounds to 1
    BOOST_TEST(y[8] > 0.0f);
    BOOST_TEST(y[8] < 1e-38f);
  }
}

// An element's bits do not depend on the range it is computed in (tails of every length,
// any start): thread counts cannot change results.
BOOST_AUTO_TEST_CASE(sigmoid_same_bits_in_any_range) {
  Generator gen(4);
  const Array r = gen.uniform({100}, -12, 12, kFloat32);
  std::vector<float> x(r.data<float>(), r.data<float>() + 100), whole(100), part(100);
  for (kernels::Isa isa : kIsas) {
    if (!kernels::cpu_supports(isa)) continue;
    kernels::sigmoid_f32(x.data(), whole.data(), 100, isa);
    for (std::size_t start : {0, 1, 7, 16, 33}) {
      for (std::size_t len = 1; start + len <= 100; len += 5) {
        kernels::sigmoid_f32(x.data() + start, part.data(), len, isa);
        BOOST_TEST_INFO(kernels::isa_name(isa) << " start " << start << " length " << len);
        BOOST_TEST(std::memcmp(part.data(), whole.data() + start, len * sizeof(float)) == 0);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
