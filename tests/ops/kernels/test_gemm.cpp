// kernels::gemm: all four transpose combinations against a naive loop, on
// odd sizes below and above the tiling threshold (700 x 300 x 500), with
// alpha, beta and padded leading dimensions; bit-identical for 1 and 2
// threads (Note [Deterministic tiling]). The float kernels of every
// instruction set this CPU has (sgemm_on), on sizes around their tile and
// block edges; beta = 0 never reads C (NaN there stays out of the result).
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "framework/generator.h"
#include "framework/parallel.h"
#include "ops/kernels/gemm.h"

using namespace xgrad;

namespace {
template <class T>
std::vector<T> random_vector(std::size_t n, std::uint64_t seed) {
  Generator gen(seed);
  Array a = gen.normal({n}, 0, 1, dtype_of<T>());
  return std::vector<T>(a.data<T>(), a.data<T>() + n);
}

// C = alpha · op(A) · op(B) + beta · C by the definition, accumulated in double.
template <class T>
std::vector<double> naive(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k,
                          double alpha, const std::vector<T>& a, std::size_t lda,
                          const std::vector<T>& b, std::size_t ldb, double beta,
                          const std::vector<T>& c, std::size_t ldc) {
  std::vector<double> out(c.begin(), c.end());
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::size_t q = 0; q < k; ++q) {
        const double av = ta ? a[q * lda + i] : a[i * lda + q];
        const double bv = tb ? b[j * ldb + q] : b[q * ldb + j];
        s += av * bv;
      }
      out[i * ldc + j] = alpha * s + beta * double(c[i * ldc + j]);
    }
  }
  return out;
}

struct Case {
  bool ta, tb;
  std::size_t m, n, k, pad;
  double alpha, beta;
};

// gemm<T>, or the float kernels of one instruction set.
template <class T>
void run_gemm(const Case& cs, const T* a, std::size_t lda, const T* b, std::size_t ldb, T* c,
              std::size_t ldc, const kernels::Isa* isa) {
  if constexpr (std::is_same_v<T, float>) {
    if (isa != nullptr) {
      kernels::sgemm_on(*isa, cs.ta, cs.tb, cs.m, cs.n, cs.k, float(cs.alpha), a, lda, b, ldb,
                        float(cs.beta), c, ldc);
      return;
    }
  }
  kernels::gemm<T>(cs.ta, cs.tb, cs.m, cs.n, cs.k, T(cs.alpha), a, lda, b, ldb, T(cs.beta), c, ldc);
}

template <class T>
void check_case(const Case& cs, double tol, const kernels::Isa* isa = nullptr) {
  const std::size_t lda = (cs.ta ? cs.m : cs.k) + cs.pad, ldb = (cs.tb ? cs.k : cs.n) + cs.pad;
  const std::size_t ldc = cs.n + cs.pad;
  const std::vector<T> a = random_vector<T>((cs.ta ? cs.k : cs.m) * lda, 1);
  const std::vector<T> b = random_vector<T>((cs.tb ? cs.n : cs.k) * ldb, 2);
  std::vector<T> c = random_vector<T>(cs.m * ldc, 3);
  const std::vector<double> want =
      naive(cs.ta, cs.tb, cs.m, cs.n, cs.k, cs.alpha, a, lda, b, ldb, cs.beta, c, ldc);
  if (cs.beta == 0) {  // C's old values must not be read: NaN inside C, not in the padding
    for (std::size_t i = 0; i < cs.m; ++i) {
      for (std::size_t j = 0; j < cs.n; ++j) c[i * ldc + j] = std::nan("");
    }
  }
  const std::vector<T> before = c;
  run_gemm<T>(cs, a.data(), lda, b.data(), ldb, c.data(), ldc, isa);
  double worst = 0, worst_pad = 0;
  for (std::size_t i = 0; i < cs.m; ++i) {
    for (std::size_t j = 0; j < ldc; ++j) {
      const std::size_t at = i * ldc + j;
      if (j < cs.n) {
        const double err = std::abs(double(c[at]) - want[at]);
        worst = std::isnan(err) ? HUGE_VAL : std::max(worst, err);
      } else {  // the padding of C is not written
        worst_pad = std::max(worst_pad, std::abs(double(c[at]) - double(before[at])));
      }
    }
  }
  // Rounding grows with the length k of each dot product (and with alpha); a
  // wrong transposition or stride errs by O(1).
  BOOST_TEST(worst <=
             tol * std::max(1.0, std::abs(cs.alpha)) * double(std::max<std::size_t>(cs.k, 1)));
  BOOST_TEST(worst_pad == 0.0);
}

const std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> kSizes{
    {1, 1, 1}, {3, 5, 7}, {17, 1, 9}, {33, 65, 129}, {130, 70, 1}, {700, 300, 500}};
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_kernels_gemm_tests)

BOOST_AUTO_TEST_CASE(double_all_transpose_combinations) {
  for (bool ta : {false, true})
    for (bool tb : {false, true})
      for (const auto& [m, n, k] : kSizes) {
        BOOST_TEST_INFO("ta " << ta << " tb " << tb << " m " << m << " n " << n << " k " << k);
        check_case<double>({ta, tb, m, n, k, 0, 1.0, 0.0}, 2e-15);
      }
}

BOOST_AUTO_TEST_CASE(float_all_transpose_combinations) {
  for (bool ta : {false, true})
    for (bool tb : {false, true})
      for (const auto& [m, n, k] : kSizes) {
        BOOST_TEST_INFO("ta " << ta << " tb " << tb << " m " << m << " n " << n << " k " << k);
        check_case<float>({ta, tb, m, n, k, 0, 1.0, 0.0}, 1e-6);
      }
}

BOOST_AUTO_TEST_CASE(alpha_beta_and_padded_strides) {
  for (bool ta : {false, true})
    for (bool tb : {false, true}) {
      BOOST_TEST_INFO("ta " << ta << " tb " << tb);
      check_case<double>({ta, tb, 5, 7, 3, 2, -0.5, 0.25}, 2e-15);
      check_case<double>({ta, tb, 701, 299, 501, 3, 2.0, 1.0}, 2e-15);  // tiled
      check_case<double>({ta, tb, 4, 6, 0, 1, 1.0, 0.5}, 0);            // k = 0: C = beta C
    }
}

BOOST_AUTO_TEST_CASE(bit_identical_for_one_and_two_threads) {
  const std::size_t m = 700, n = 300, k = 500;
  for (bool ta : {false, true})
    for (bool tb : {false, true}) {
      const std::vector<float> a = random_vector<float>(m * k, 4),
                               b = random_vector<float>(k * n, 5);
      std::vector<float> c1(m * n, 0.0f), c2(m * n, 0.0f);
      const std::size_t lda = ta ? m : k, ldb = tb ? k : n;
      {
        ThreadLimit limit(1);
        kernels::gemm<float>(ta, tb, m, n, k, 1.0f, a.data(), lda, b.data(), ldb, 0.0f, c1.data(),
                             n);
      }
      {
        ThreadLimit limit(2);
        kernels::gemm<float>(ta, tb, m, n, k, 1.0f, a.data(), lda, b.data(), ldb, 0.0f, c2.data(),
                             n);
      }
      BOOST_TEST_INFO("ta " << ta << " tb " << tb);
      BOOST_TEST((c1 == c2));
    }
}

// Sizes around the float kernels' edges: tiles of 12/8/6/4 rows and 32/16/8 columns,
// dot-product tiles of 3 × 8, vectors of 16 and 8 along k, inner blocks of 256 and 1024,
// several kc blocks (k = 1000), shapes that are split into tiles, and more columns than
// one call packs at a time (n = 2100).
const std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> kEdgeSizes{
    {1, 1, 1},      {2, 3, 5},      {11, 31, 15},   {12, 32, 16},   {13, 33, 17},
    {25, 65, 255},  {24, 64, 257},  {7, 9, 769},    {37, 41, 1000}, {64, 256, 784},
    {256, 784, 64}, {64, 784, 256}, {131, 97, 300}, {300, 131, 97}, {3, 2100, 20}};

BOOST_AUTO_TEST_CASE(float_kernels_of_every_instruction_set) {
  for (kernels::Isa isa : {kernels::Isa::kScalar, kernels::Isa::kAvx2, kernels::Isa::kAvx512}) {
    if (!kernels::cpu_supports(isa)) {
      BOOST_TEST_MESSAGE("skipping " << kernels::isa_name(isa) << ": not on this CPU");
      continue;
    }
    for (bool ta : {false, true})
      for (bool tb : {false, true})
        for (const auto& [m, n, k] : kEdgeSizes) {
          BOOST_TEST_INFO(kernels::isa_name(isa) << " ta " << ta << " tb " << tb << " m " << m
                                                 << " n " << n << " k " << k);
          check_case<float>({ta, tb, m, n, k, 0, 1.0, 0.0}, 1e-6, &isa);
          check_case<float>({ta, tb, m, n, k, 3, -0.5, 0.75}, 1e-6, &isa);
        }
  }
}

// A·Bᵀ packs B in chunks of the vector width; a tail chunk shorter than that (k = 24 on
// AVX-512: 16 + 8) must be zero-padded, not left holding what the packing scratch held
// before (here NaN from a previous product, which a zero of A's masked tail would turn
// into a NaN result).
BOOST_AUTO_TEST_CASE(dot_tiles_pad_a_short_last_chunk) {
  for (kernels::Isa isa : {kernels::Isa::kScalar, kernels::Isa::kAvx2, kernels::Isa::kAvx512}) {
    if (!kernels::cpu_supports(isa)) continue;
    const std::size_t m = 5, n = 9;
    std::vector<float> nan_b(n * 32, std::numeric_limits<float>::quiet_NaN()), a(m * 32, 1.0f);
    std::vector<float> c(m * n);
    kernels::sgemm_on(isa, false, true, m, n, 32, 1.0f, a.data(), 32, nan_b.data(), 32, 0.0f,
                      c.data(), n);  // fills the scratch with NaN
    std::vector<float> b(n * 24, 0.5f);
    kernels::sgemm_on(isa, false, true, m, n, 24, 1.0f, a.data(), 24, b.data(), 24, 0.0f, c.data(),
                      n);
    for (std::size_t i = 0; i < m * n; ++i) {
      BOOST_TEST_INFO(kernels::isa_name(isa) << " element " << i);
      BOOST_TEST(c[i] == 12.0f);  // 24 · 1 · 0.5
    }
  }
}

// Every path, every transpose combination: the same bits with 1 and 2 threads, and from
// gemm_serial (one call, no tiles) as from gemm (tiles) on the active path.
BOOST_AUTO_TEST_CASE(float_kernels_bit_identical_for_one_and_two_threads) {
  const std::size_t m = 131, n = 300, k = 97;  // tiled (above 2^20 multiply-adds: 3.8M)
  const std::vector<float> a = random_vector<float>(m * k + k * m, 6),
                           b = random_vector<float>(k * n + n * k, 7);
  for (kernels::Isa isa : {kernels::Isa::kScalar, kernels::Isa::kAvx2, kernels::Isa::kAvx512}) {
    if (!kernels::cpu_supports(isa)) continue;
    for (bool ta : {false, true})
      for (bool tb : {false, true}) {
        const std::size_t lda = ta ? m : k, ldb = tb ? k : n;
        std::vector<float> c1(m * n, 1.0f), c2(m * n, 1.0f);
        {
          ThreadLimit limit(1);
          kernels::sgemm_on(isa, ta, tb, m, n, k, 1.0f, a.data(), lda, b.data(), ldb, 0.5f,
                            c1.data(), n);
        }
        {
          ThreadLimit limit(2);
          kernels::sgemm_on(isa, ta, tb, m, n, k, 1.0f, a.data(), lda, b.data(), ldb, 0.5f,
                            c2.data(), n);
        }
        BOOST_TEST_INFO(kernels::isa_name(isa) << " ta " << ta << " tb " << tb);
        BOOST_TEST((c1 == c2));
        if (isa == kernels::active_isa()) {
          std::vector<float> c3(m * n, 1.0f);
          kernels::gemm_serial<float>(ta, tb, m, n, k, 1.0f, a.data(), lda, b.data(), ldb, 0.5f,
                                      c3.data(), n);
          BOOST_TEST((c1 == c3));
        }
      }
  }
}

BOOST_AUTO_TEST_CASE(path_names) {
  BOOST_TEST(std::string(kernels::sgemm_path()).find(kernels::isa_name(kernels::active_isa())) !=
             std::string::npos);
  BOOST_TEST(std::string(kernels::dgemm_path()).find("OpenBLAS") == 0);
  BOOST_TEST(kernels::cpu_supports(kernels::Isa::kScalar));
  BOOST_TEST(kernels::cpu_supports(kernels::active_isa()));
}

BOOST_AUTO_TEST_SUITE_END()
