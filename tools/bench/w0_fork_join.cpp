// W0 (second part): fork-join cost of xgrad::parallel_for. The peers' W0 (../shared/bench/
// peers/README.md) times regions of 2 x 50 us of busy work after 20 us of
// serial work; xgrad-bench adds 2 x 1 us and 2 x 10 us, the size of the small
// ops of a LeNet step, where the cost per region decides the 2-thread speed-up.
// The region's time minus its work is what one parallel op pays to split.
#include <string>
#include <vector>

#include "framework/parallel.h"
#include "tools/bench/bench_common.h"
#include "tools/bench/workloads.h"

namespace xgrad::bench {

namespace {
void spin_for(double seconds) {
  const double t0 = ::bench::now_s();
  while (::bench::now_s() - t0 < seconds) {
  }
}
}  // namespace

void run_fork_join(const BenchOptions& options) {
  const int warm = options.smoke ? 2 : 200, regions = options.smoke ? 2 : 200;
  const int samples = options.smoke ? 1 : 9;
  for (const double work_us : {1.0, 10.0, 50.0}) {
    const double work = work_us * 1e-6;
    std::vector<double> per_region;
    for (int s = -1; s < samples; ++s) {  // s = -1: warm-up
      double total = 0;
      const int n = s < 0 ? warm : regions;
      for (int i = 0; i < n; ++i) {
        spin_for(20e-6);  // the serial gap between two parallel ops
        const double t0 = ::bench::now_s();
        parallel_for(0, 2, 1, [&](std::size_t, std::size_t) { spin_for(work); });
        total += ::bench::now_s() - t0;
      }
      if (s >= 0) per_region.push_back(total / n);
    }
    const ::bench::Stats st = ::bench::summarize(per_region, regions);
    const std::string label = "fork-join 2x" + std::to_string(int(work_us)) + "us";
    ::bench::report("W0", label, "xgrad", "us/region", st.med * 1e6, st.min * 1e6, st.max * 1e6,
                    ::bench::reps_str(st), -1, "parallel_for(0, 2, 1), 20 us serial gap");
  }
}

}  // namespace xgrad::bench
