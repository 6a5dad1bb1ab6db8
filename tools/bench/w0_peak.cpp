// W0: the machine's float32 FMA peak, measured in this run: register-only chains of fused
// multiply-adds on 512-bit (zmm, AVX-512F) and 256-bit (ymm, AVX2+FMA) vectors, with 1
// thread and with --threads threads (one TBB task each). Its best figure at the run's
// thread count is the denominator of every limit in the closing table, so the table
// holds on whatever CPU the run is on (ratios to the machine, not absolute times). The
// kernels are compiled for their instruction set by target attributes and run only when
// CPUID says the CPU has it (the bench itself is built for the baseline x86-64).
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <vector>

#include "framework/parallel.h"
#include "ops/kernels/cpu_isa.h"
#include "tools/bench/bench_common.h"
#include "tools/bench/workloads.h"

namespace xgrad::bench {

namespace {

// 12 independent chains: 2 FMA pipes × 4 cycles of latency need at least 8 in flight.
constexpr int kChains = 12;

__attribute__((target("avx512f,avx2,fma"), noinline)) float fma_zmm(long iters) {
  __m512 a[kChains];
  for (int i = 0; i < kChains; ++i) a[i] = _mm512_set1_ps(1.0f + float(i) * 1e-3f);
  const __m512 m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
  for (long it = 0; it < iters; ++it) {
#pragma GCC unroll 12
    for (int i = 0; i < kChains; ++i) a[i] = _mm512_fmadd_ps(a[i], m, c);
  }
  __m512 s = a[0];
  for (int i = 1; i < kChains; ++i) s = _mm512_add_ps(s, a[i]);
  alignas(64) float t[16];  // not _mm512_reduce_add_ps: GCC 12 warns inside it
  _mm512_store_ps(t, s);
  float r = 0;
  for (float v : t) r += v;
  return r;
}

__attribute__((target("avx2,fma"), noinline)) float fma_ymm(long iters) {
  __m256 a[kChains];
  for (int i = 0; i < kChains; ++i) a[i] = _mm256_set1_ps(1.0f + float(i) * 1e-3f);
  const __m256 m = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
  for (long it = 0; it < iters; ++it) {
#pragma GCC unroll 12
    for (int i = 0; i < kChains; ++i) a[i] = _mm256_fmadd_ps(a[i], m, c);
  }
  __m256 s = a[0];
  for (int i = 1; i < kChains; ++i) s = _mm256_add_ps(s, a[i]);
  alignas(32) float t[8];
  _mm256_store_ps(t, s);
  return t[0] + t[1] + t[2] + t[3] + t[4] + t[5] + t[6] + t[7];
}

// GFLOP/s of `threads` tasks running the chains at once (median of the samples).
double measure(bool zmm, std::size_t threads, const BenchOptions& o) {
  const long iters = o.smoke ? 1000 : 2000000;  // ~10 ms per call on a 3 GHz core
  const int lanes = zmm ? 16 : 8;
  std::atomic<float> sink{0};
  ::bench::Stats s = ::bench::time_it(
      [&] {
        parallel_for(0, threads, 1, [&](std::size_t t0, std::size_t t1) {
          for (std::size_t t = t0; t < t1; ++t) {
            const float r = zmm ? fma_zmm(iters) : fma_ymm(iters);
            sink.store(sink.load() + r);
          }
        });
      },
      o.smoke ? 1 : 7, 0.0, o.smoke ? 0.0 : 0.1, 1);
  const double flop = 2.0 * lanes * kChains * double(iters) * double(threads);
  const std::string label = std::string("fma ") + (zmm ? "zmm (512b)" : "ymm (256b)") + " " +
                            std::to_string(threads) + "T";
  ::bench::report_rate("W0", label, "xgrad", "GFLOP/s", flop * 1e-9, s, "register-only FMA chains");
  // The fastest sample, not the median: the peak is what the cores can do, and other
  // guests on the host only ever slow a sample down. On 2026-12-01 the median of the 7
  // samples fell to 175 GFLOP/s in runs whose fastest sample and the peaks measured just
  // before and after stayed at 300-357, and every limit of those runs came out too lax.
  return flop * 1e-9 / s.min;
}

}  // namespace

const Peak& measure_peak(const BenchOptions& options) {
  static Peak peak;
  if (peak.gflops > 0) return peak;
  const std::size_t threads = max_threads();
  std::vector<std::size_t> counts{1};
  if (threads > 1) counts.push_back(threads);
  for (const bool zmm : {true, false}) {
    if (!kernels::cpu_supports(zmm ? kernels::Isa::kAvx512 : kernels::Isa::kAvx2)) continue;
    for (const std::size_t t : counts) {
      const double g = measure(zmm, t, options);
      const std::string what = zmm ? "zmm" : "ymm";
      add_row({"W0", "FMA peak " + what + " " + std::to_string(t) + "T", "GFLOP/s", g, 0,
               zmm ? "avx512f" : "avx2+fma"});
      if (t == 1) peak.one_thread = std::max(peak.one_thread, g);
      if (t == threads && g > peak.gflops) {
        peak.gflops = g;
        peak.vectors = what;
      }
    }
  }
  if (peak.gflops <= 0) {  // no FMA units the kernels know: limits in units of 1 GFLOP/s
    peak.gflops = peak.one_thread = 1;
    peak.vectors = "none";
  }
  peak.threads = threads;
  return peak;
}

}  // namespace xgrad::bench
