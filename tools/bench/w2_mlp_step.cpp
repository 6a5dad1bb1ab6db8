// W2: one MLP training step (zero-grad + forward + loss + backward + SGD
// update): 784-256-10 at batch 64, and 3-3-1 at batch 4 (per-op overhead).
#include <functional>
#include <vector>

#include "framework/factory.h"
#include "framework/generator.h"
#include "models/layers/linear.h"
#include "models/optim/sgd.h"
#include "ops/binary_cross_entropy.h"
#include "ops/kernels/gemm.h"
#include "ops/sigmoid.h"
#include "ops/softmax_cross_entropy.h"
#include "tools/bench/bench_common.h"
#include "tools/bench/workloads.h"

namespace xgrad::bench {

namespace {
// Linear -> sigmoid -> Linear, PyTorch's default init (Linear's own).
struct Mlp2 {
  Linear fc1, fc2;
  Mlp2(std::size_t in, std::size_t hidden, std::size_t out, Generator& gen)
      : fc1(in, hidden, gen), fc2(hidden, out, gen) {}
  Tensor forward(const Tensor& x) { return fc2(sigmoid(fc1(x))); }
  std::vector<Parameter> parameters() const {
    std::vector<Parameter> p = fc1.parameters(), q = fc2.parameters();
    p.insert(p.end(), q.begin(), q.end());
    return p;
  }
};

::bench::Stats time_step(const BenchOptions& o, const std::function<void()>& step) {
  return o.smoke ? ::bench::time_it(step, 1, 0.0, 0.0, 1)
                 : ::bench::time_it(step, 9, 0.05, 0.5, 20);
}
}  // namespace

void run_w2(const BenchOptions& options) {
  {
    Generator gen(0);
    Mlp2 net(784, 256, 10, gen);
    SgdOptions sgd;
    sgd.lr = 0.1;
    Sgd opt(net.parameters(), sgd);
    std::vector<Tensor> xs, ys;
    for (int i = 0; i < 16; ++i) {
      xs.push_back(randn({64, 784}, gen));
      Array y = Array::empty({64}, kFloat32);
      for (std::size_t j = 0; j < 64; ++j)
        y.set(j, double(std::size_t(gen.uniform({1}, 0, 10).at(0))));
      ys.push_back(Tensor(std::move(y)));
    }
    std::size_t it = 0;
    ::bench::Stats s = time_step(options, [&] {
      const std::size_t i = it++ & 15;
      opt.zero_grad();
      Tensor loss = softmax_cross_entropy(net.forward(xs[i]), ys[i]);
      loss.backward();
      opt.step();
    });
    ::bench::report_us("W2", "MLP 784-256-10 b64 step", "xgrad", s);
    // fc1: forward and weight gradient (x needs no gradient); fc2: forward, both gradients.
    const double flop = 2.0 * 64 * (784 * 256 * 2 + 256 * 10 * 3);
    add_row({"W2", "MLP 784-256-10 b64 step", "us", s.med * 1e6,
             compute_limit_s(flop, options) * 1e6, kernels::sgemm_path()});
  }
  {
    Generator gen(0);
    Mlp2 net(3, 3, 1, gen);
    SgdOptions sgd;
    sgd.lr = 0.1;
    Sgd opt(net.parameters(), sgd);
    const Tensor x = tensor({{0.0, 0.0, 1.0}, {0.0, 1.0, 1.0}, {1.0, 0.0, 1.0}, {1.0, 1.0, 1.0}});
    const Tensor t = tensor({{0.0}, {1.0}, {1.0}, {0.0}});
    ::bench::Stats s = time_step(options, [&] {
      opt.zero_grad();
      Tensor loss = binary_cross_entropy(sigmoid(net.forward(x)), t);
      loss.backward();
      opt.step();
    });
    ::bench::report_us("W2", "MLP 3-3-1 b4 step", "xgrad", s);
    add_row({"W2", "MLP 3-3-1 b4 step", "us", s.med * 1e6, 0, "per-op overhead (15 ops)"});
  }
}

}  // namespace xgrad::bench
