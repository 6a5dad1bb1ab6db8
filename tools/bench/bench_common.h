// Timing and reporting helpers shared by xgrad's benchmarks.
//
// The method and the RESULT line format are those of the peer benchmarks
// (../shared/bench/peers/common.h in the project's workspace), so xgrad's
// figures and the peers' can be read side by side: warm-up, then 9 samples,
// each averaging k back-to-back calls with k chosen so a sample lasts at
// least 20 ms; median, min and max per call; process CPU time / wall time.
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace bench {

using clk = std::chrono::steady_clock;

inline double now_s() {
  return std::chrono::duration<double>(clk::now().time_since_epoch()).count();
}

// Process CPU time (user+sys, all threads), seconds.
inline double cpu_s() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec +
         ru.ru_stime.tv_usec * 1e-6;
}

// Peak resident set size of this process so far, in MiB (ru_maxrss is KiB on Linux).
inline double peak_rss_mib() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0;
}

// Current resident set size in MiB (from /proc/self/statm).
inline double current_rss_mib() {
  long pages_total = 0, pages_res = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages_total, &pages_res) != 2) pages_res = 0;
    std::fclose(f);
  }
  return pages_res * 4096.0 / (1024.0 * 1024.0);
}

struct Stats {
  double med = 0, min = 0, max = 0;  // seconds per call
  int samples = 0;                   // number of timed samples
  long calls_per_sample = 0;         // calls averaged inside one sample
  double util = 0;                   // process CPU time / wall time while timing
};

inline Stats summarize(std::vector<double> v, long k) {
  Stats s;
  std::sort(v.begin(), v.end());
  s.samples = (int)v.size();
  s.calls_per_sample = k;
  s.min = v.front();
  s.max = v.back();
  size_t n = v.size();
  s.med = (n % 2) ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  return s;
}

// Warm up (>= warm_calls calls and >= warm_s seconds), then take `samples`
// timed samples; each sample averages k back-to-back calls, with k chosen so a
// sample lasts >= min_sample_s.  Returns per-call seconds (median/min/max).
template <class F>
Stats time_it(F&& f, int samples = 9, double min_sample_s = 0.02, double warm_s = 0.2,
              int warm_calls = 3) {
  double t0 = now_s();
  int wc = 0;
  while (wc < warm_calls || now_s() - t0 < warm_s) {
    f();
    ++wc;
  }
  // per-call estimate from the last warm-up calls (the first calls are often slow)
  int est_calls = std::max(1, std::min(wc / 2, 50));
  double te = now_s();
  for (int i = 0; i < est_calls; ++i) f();
  double per_call = (now_s() - te) / est_calls;
  long k = std::max<long>(1, (long)std::ceil(min_sample_s / std::max(per_call, 1e-9)));
  std::vector<double> v;
  double c0 = cpu_s(), w0 = now_s();
  for (int s = 0; s < samples; ++s) {
    double a = now_s();
    for (long i = 0; i < k; ++i) f();
    v.push_back((now_s() - a) / k);
  }
  double util = (cpu_s() - c0) / std::max(now_s() - w0, 1e-9);
  Stats st = summarize(v, k);
  st.util = util;
  return st;
}

// One machine-readable result line; run.sh turns these into the table.
//   RESULT|workload|case|framework|metric|median|min|max|samples x calls|cpu/wall|peakRSS_MiB|note
inline void report(const std::string& w, const std::string& cs, const std::string& fw,
                   const std::string& metric, double med, double mn, double mx,
                   const std::string& reps, double util = -1, const std::string& note = "") {
  char u[32];
  if (util >= 0)
    std::snprintf(u, sizeof u, "%.2f", util);
  else
    std::snprintf(u, sizeof u, "-");
  std::printf("RESULT|%s|%s|%s|%s|%.6g|%.6g|%.6g|%s|%s|%.1f|%s\n", w.c_str(), cs.c_str(),
              fw.c_str(), metric.c_str(), med, mn, mx, reps.c_str(), u, peak_rss_mib(),
              note.c_str());
  std::fflush(stdout);
}

inline std::string reps_str(const Stats& s) {
  return std::to_string(s.samples) + "x" + std::to_string(s.calls_per_sample);
}

// Time in microseconds per call.
inline void report_us(const std::string& w, const std::string& cs, const std::string& fw,
                      const Stats& s, const std::string& note = "") {
  report(w, cs, fw, "us/call", s.med * 1e6, s.min * 1e6, s.max * 1e6, reps_str(s), s.util, note);
}

// Rate = work/time: the median rate comes from the median time, min rate from max time.
inline void report_rate(const std::string& w, const std::string& cs, const std::string& fw,
                        const std::string& metric, double work, const Stats& s,
                        const std::string& note = "") {
  report(w, cs, fw, metric, work / s.med, work / s.max, work / s.min, reps_str(s), s.util, note);
}

}  // namespace bench
