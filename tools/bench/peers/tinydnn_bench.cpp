// tiny-dnn 1.0.0a3 (Debian, header-only) peer of xgrad-bench, TBB backend:
// W2 MLP steps, W3 conv2d, W4 LeNet epoch, W5 MLP epoch on Fashion-MNIST.
// Adapted from the workspace's peer baselines (shared/bench/peers), which also
// measured tiny-dnn's native and OpenMP backends (both slower); same workloads,
// RESULT lines and case labels as xgrad-bench.
//   usage: tinydnn_bench {config|w2|w3|w4|w5} [reps]
// Built with -DCNN_USE_AVX (tiny-dnn's AVX kernels for conv/fc/pool) and
// -Icompat (Debian strips tiny-dnn's bundled third_party/ headers).
// Threads: tbb::global_control(max_allowed_parallelism, BENCH_THREADS, default 2).
#include <tbb/global_control.h>
#include <tbb/tbb.h>
// tiny-dnn 1.0.0a3 still instantiates tbb::task_scheduler_init, which oneTBB
// 2021 removed.  A no-op stand-in is enough: thread count comes from the
// tbb::global_control created in main().
namespace tbb {
class task_scheduler_init {
 public:
  static const int automatic = -1;
  static const int deferred = -2;
  explicit task_scheduler_init(int = automatic) {}
};
}  // namespace tbb
#define CNN_USE_TBB
#define BACKEND_NAME "tbb"

#include <tiny_dnn/tiny_dnn.h>

#include "common.h"

using namespace bench;
using namespace tiny_dnn;
using namespace tiny_dnn::activation;
static const std::string FW = std::string("tiny-dnn/") + BACKEND_NAME;

static vec_t randn_vec(size_t n, std::mt19937& g) {
  std::normal_distribution<float> d(0.0f, 1.0f);
  vec_t v(n);
  for (auto& x : v) x = d(g);
  return v;
}
static vec_t uniform_vec(size_t n, std::mt19937& g) {
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  vec_t v(n);
  for (auto& x : v) x = d(g);
  return v;
}

// ------------------------------------------------------------------ W2
static void w2() {
  {  // 784-256-10: 16 random batches of 64 per train() call -> 16 SGD steps
    set_random_seed(0);
    network<sequential> net;
    net << fully_connected_layer<sigmoid>(784, 256) << fully_connected_layer<softmax>(256, 10);
    net.weight_init(weight_init::lecun()).bias_init(weight_init::lecun());
    gradient_descent opt;
    opt.alpha = 0.1f;
    std::mt19937 g(1);
    std::vector<vec_t> X;
    std::vector<label_t> Y;
    for (int i = 0; i < 16 * 64; ++i) {
      X.push_back(randn_vec(784, g));
      Y.push_back(label_t(g() % 10));
    }
    Stats s =
        time_it([&] { net.train<cross_entropy_multiclass>(opt, X, Y, 64, 1); }, 9, 0.05, 0.5, 3);
    s.med /= 16;
    s.min /= 16;
    s.max /= 16;
    report_us("W2", "MLP 784-256-10 b64 step", FW, s,
              "fc<sigmoid>,fc<softmax>,cross_entropy_multiclass,gradient_descent(0.1); train() "
              "over 16 batches /16");
  }
  {  // 3-3-1 sigmoid/sigmoid, binary cross-entropy, batch 4; 64 steps per fit() call
    set_random_seed(0);
    network<sequential> net;
    net << fully_connected_layer<sigmoid>(3, 3) << fully_connected_layer<sigmoid>(3, 1);
    net.weight_init(weight_init::lecun()).bias_init(weight_init::lecun());
    gradient_descent opt;
    opt.alpha = 0.1f;
    std::vector<vec_t> X, T;
    for (int r = 0; r < 64; ++r) {
      X.insert(X.end(), {{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}});
      T.insert(T.end(), {{0}, {1}, {1}, {0}});
    }
    Stats s = time_it([&] { net.fit<cross_entropy>(opt, X, T, 4, 1); }, 9, 0.05, 0.5, 3);
    s.med /= 64;
    s.min /= 64;
    s.max /= 64;
    report_us(
        "W2", "MLP 3-3-1 b4 step", FW, s,
        "fc<sigmoid>x2, cross_entropy (binary), gradient_descent(0.1); fit() over 64 batches /64");
  }
}

// ------------------------------------------------------------------ W3
static void w3() {
  struct Case {
    const char* name;
    int n, cin, h, w, cout, k;
  };
  for (Case c : {Case{"conv a 1x28x28->6 k5 b64", 64, 1, 28, 28, 6, 5},
                 Case{"conv b 6x12x12->16 k5 b64", 64, 6, 12, 12, 16, 5}}) {
    int ho = c.h - c.k + 1, wo = c.w - c.k + 1;
    double flop = 2.0 * c.n * c.cout * ho * wo * (double)c.cin * c.k * c.k;
    set_random_seed(0);
    convolutional_layer<identity> conv(c.w, c.h, c.k, c.cin, c.cout, padding::valid, true);
    std::mt19937 g(3);
    tensor_t x, gy;
    for (int i = 0; i < c.n; ++i) {
      x.push_back(uniform_vec((size_t)c.cin * c.h * c.w, g));
      gy.push_back(uniform_vec((size_t)c.cout * ho * wo, g));
    }
    conv.forward({x});  // allocates edges, initialises weights, stores the input
    Stats sf = time_it([&] { conv.forward(); }, 9, 0.05, 0.3, 3);
    report_us("W3", std::string(c.name) + " fwd", FW, sf, "layer::forward() on stored input");
    report_rate("W3", std::string(c.name) + " fwd", FW, "GFLOP/s", flop / 1e9, sf);
    Stats sb = time_it(
        [&] {
          conv.clear_grads();
          conv.forward();
          conv.set_out_grads({gy});
          conv.backward();
        },
        9, 0.05, 0.3, 3);
    report_us("W3", std::string(c.name) + " fwd+bwd", FW, sb,
              "clear_grads+forward+set_out_grads(copy)+backward; dW kept per sample");
    report_rate("W3", std::string(c.name) + " fwd+bwd", FW, "GFLOP/s", 3 * flop / 1e9, sb,
                "3x fwd flop");
  }
}

// ------------------------------------------------------------------ W4/W5
struct TDData {
  std::vector<vec_t> xtr, xte;
  std::vector<label_t> ytr, yte;
};
// Training samples are stored in the shared shuffled order (permutation(60000, 42));
// tiny-dnn's train() walks them in order, batch by batch.
static TDData load_data() {
  TDData D;
  auto mk = [](const std::string& split, bool shuffle, std::vector<vec_t>& x,
               std::vector<label_t>& y) {
    Dataset d = load_fmnist(split);
    std::vector<int> p = shuffle ? permutation(d.n, 42) : std::vector<int>();
    size_t sz = (size_t)d.rows * d.cols;
    x.reserve(d.n);
    for (int i = 0; i < d.n; ++i) {
      int src = shuffle ? p[i] : i;
      x.emplace_back(d.x.begin() + src * sz, d.x.begin() + (src + 1) * sz);
      y.push_back(d.y[src]);
    }
  };
  mk("train", true, D.xtr, D.ytr);
  mk("t10k", false, D.xte, D.yte);
  return D;
}

template <class Build, class Opt>
static void train_epochs(const std::string& w, const std::string& cs, int reps, Build build,
                         Opt make_opt) {
  TDData D = load_data();
  std::printf("INFO|%s|data loaded: current RSS %.1f MiB, peak so far %.1f MiB\n", w.c_str(),
              current_rss_mib(), peak_rss_mib());
  std::vector<double> secs, accs;
  double util_sum = 0;
  for (int r = 0; r < reps; ++r) {
    set_random_seed(r);
    network<sequential> net;
    build(net);
    net.weight_init(weight_init::lecun()).bias_init(weight_init::lecun());
    auto opt = make_opt();
    double t0 = now_s(), c0 = cpu_s();
    net.train<cross_entropy_multiclass>(opt, D.xtr, D.ytr, 64, 1);
    double t = now_s() - t0;
    util_sum += (cpu_s() - c0) / t;
    double rss_after = current_rss_mib();
    double te0 = now_s();
    auto res = net.test(D.xte, D.yte);
    double acc = double(res.num_success) / res.num_total;
    double te = now_s() - te0;
    secs.push_back(t);
    accs.push_back(acc);
    std::printf(
        "INFO|%s|rep %d: epoch %.3f s, test acc %.4f (eval %.2f s), RSS after epoch %.1f MiB\n",
        w.c_str(), r, t, acc, te, rss_after);
    std::fflush(stdout);
  }
  Stats s = summarize(secs, 1);
  report(w, cs, FW, "s/epoch", s.med, s.min, s.max, reps_str(s), util_sum / reps,
         "fresh init each rep");
  Stats a = summarize(accs, 1);
  report(w, cs, FW, "test acc", a.med, a.min, a.max, reps_str(a));
}

static void w4(int reps) {
  train_epochs(
      "W4", "LeNet FMNIST 1 epoch b64", reps,
      [](network<sequential>& net) {
        net << convolutional_layer<relu>(28, 28, 5, 1, 6)  // conv+relu fused
            << max_pooling_layer<identity>(24, 24, 6, 2)
            << convolutional_layer<relu>(12, 12, 5, 6, 16)
            << max_pooling_layer<identity>(8, 8, 16, 2) << fully_connected_layer<relu>(256, 120)
            << fully_connected_layer<relu>(120, 84) << fully_connected_layer<softmax>(84, 10);
      },
      [] {
        momentum o;
        o.alpha = 0.01f;
        o.mu = 0.9f;
        return o;
      });
}

static void w5(int reps) {
  train_epochs(
      "W5", "MLP 784-256-10 FMNIST 1 epoch b64", reps,
      [](network<sequential>& net) {
        net << fully_connected_layer<sigmoid>(784, 256) << fully_connected_layer<softmax>(256, 10);
      },
      [] {
        gradient_descent o;
        o.alpha = 0.1f;
        return o;
      });
}

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "config";
  int reps = argc > 2 ? std::atoi(argv[2]) : 2;
  if (reps < 1) {
    std::fprintf(stderr, "tinydnn_bench: error: reps must be >= 1\n");
    return 2;
  }
  const int threads = bench_threads();
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, threads);
  try {
    if (mode == "config") {
      std::printf("tiny-dnn backend=%s engine=%s hardware_concurrency=%u threads=%d\n",
                  BACKEND_NAME, core::default_engine() == core::backend_t::avx ? "avx" : "internal",
                  std::thread::hardware_concurrency(), threads);
    } else if (mode == "w2") {
      w2();
    } else if (mode == "w3") {
      w3();
    } else if (mode == "w4") {
      w4(reps);
    } else if (mode == "w5") {
      w5(reps);
    } else {
      std::fprintf(stderr, "tinydnn_bench: error: unknown mode %s (config|w2|w3|w4|w5)\n",
                   mode.c_str());
      return 2;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tinydnn_bench: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
