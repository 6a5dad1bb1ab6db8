// libtorch (PyTorch 1.13 C++ API, Debian build) peer of xgrad-bench: W1 mm,
// W2 MLP steps, W3 conv2d, W4 LeNet epoch, W5 MLP epoch, W6 the main job's CNN epoch
// (32 and 64 channels, Adam 1e-3) on Fashion-MNIST.
// Adapted from the workspace's peer baselines (shared/bench/peers); same
// workloads, RESULT lines and case labels as xgrad-bench (README there).
//   usage: torch_bench {config|w1|w2|w3|w4|w5|w6} [reps]
// Threads: torch::set_num_threads(BENCH_THREADS, default 2). Run it with
// OMP_NUM_THREADS unset (tools/bench/compare does): exporting it made libtorch's
// OpenMP pool and OpenBLAS's pool stall each other far more often on 2 vCPUs.
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <torch/torch.h>

#include "common.h"

using namespace bench;
namespace F = torch::nn::functional;
static const std::string FW = "libtorch";

// ------------------------------------------------------------------ models
struct MLPImpl : torch::nn::Module {  // in-hid-out, sigmoid hidden, logits out
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  MLPImpl(int in, int hid, int out) {
    fc1 = register_module("fc1", torch::nn::Linear(in, hid));
    fc2 = register_module("fc2", torch::nn::Linear(hid, out));
  }
  torch::Tensor forward(const torch::Tensor& x) { return fc2(torch::sigmoid(fc1(x))); }
};
TORCH_MODULE(MLP);

struct LeNetImpl : torch::nn::Module {
  torch::nn::Conv2d c1{nullptr}, c2{nullptr};
  torch::nn::Linear f1{nullptr}, f2{nullptr}, f3{nullptr};
  int64_t flat;
  // LeNet: 6 and 16 channels (W4); xgrad-train's default CNN: 32 and 64 (W6)
  explicit LeNetImpl(int64_t a = 6, int64_t b = 16) : flat(b * 16) {
    c1 = register_module("c1", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, a, 5)));
    c2 = register_module("c2", torch::nn::Conv2d(torch::nn::Conv2dOptions(a, b, 5)));
    f1 = register_module("f1", torch::nn::Linear(flat, 120));
    f2 = register_module("f2", torch::nn::Linear(120, 84));
    f3 = register_module("f3", torch::nn::Linear(84, 10));
  }
  torch::Tensor forward(torch::Tensor x) {
    // pool before ReLU, as xgrad's Cnn (the same function, less work for both)
    x = torch::relu(F::max_pool2d(c1(x), F::MaxPool2dFuncOptions(2)));
    x = torch::relu(F::max_pool2d(c2(x), F::MaxPool2dFuncOptions(2)));
    x = x.view({x.size(0), flat});
    x = torch::relu(f1(x));
    x = torch::relu(f2(x));
    return f3(x);
  }
};
TORCH_MODULE(LeNet);

static torch::Tensor uniform_tensor(std::vector<int64_t> shape, unsigned seed) {
  int64_t n = 1;
  for (auto s : shape) n *= s;
  std::vector<float> v(n);
  std::mt19937 g(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (auto& x : v) x = u(g);
  return torch::from_blob(v.data(), shape, torch::kFloat32).clone();
}

// ------------------------------------------------------------------ W1
static void w1() {
  for (int n : {256, 512, 1024, 2048}) {
    auto A = uniform_tensor({n, n}, 1), B = uniform_tensor({n, n}, 2);
    double flop = 2.0 * n * n * (double)n;
    torch::NoGradGuard ng;
    Stats s = time_it([&] { auto C = torch::mm(A, B); }, 9, 0.05, 0.3, 2);
    report_rate("W1", "sgemm n=" + std::to_string(n), FW, "GFLOP/s", flop / 1e9, s,
                "torch::mm (allocates C)");
  }
}

// ------------------------------------------------------------------ W2
static void w2() {
  {  // 784-256-10, batch 64, 16 distinct random batches cycled
    torch::manual_seed(0);
    MLP net(784, 256, 10);
    torch::optim::SGD opt(net->parameters(), torch::optim::SGDOptions(0.1));
    std::vector<torch::Tensor> xs, ys;
    for (int i = 0; i < 16; ++i) {
      xs.push_back(torch::randn({64, 784}));
      ys.push_back(torch::randint(0, 10, {64}, torch::kLong));
    }
    int it = 0;
    auto step = [&] {
      int i = it++ & 15;
      opt.zero_grad();
      auto loss = F::cross_entropy(net->forward(xs[i]), ys[i]);
      loss.backward();
      opt.step();
    };
    Stats s = time_it(step, 9, 0.05, 0.5, 20);
    report_us("W2", "MLP 784-256-10 b64 step", FW, s,
              "nn::Linear x2, sigmoid, F::cross_entropy, optim::SGD(0.1)");
  }
  {  // 3-3-1 sigmoid everywhere, BCE, batch 4
    torch::manual_seed(0);
    MLP net(3, 3, 1);
    torch::optim::SGD opt(net->parameters(), torch::optim::SGDOptions(0.1));
    auto x =
        torch::tensor({0.f, 0.f, 1.f, 0.f, 1.f, 1.f, 1.f, 0.f, 1.f, 1.f, 1.f, 1.f}).view({4, 3});
    auto t = torch::tensor({0.f, 1.f, 1.f, 0.f}).view({4, 1});
    auto step = [&] {
      opt.zero_grad();
      auto y = torch::sigmoid(net->forward(x));
      auto loss = torch::binary_cross_entropy(y, t);
      loss.backward();
      opt.step();
    };
    Stats s = time_it(step, 9, 0.05, 0.5, 100);
    report_us("W2", "MLP 3-3-1 b4 step", FW, s,
              "sigmoid hidden+output, torch::binary_cross_entropy, optim::SGD(0.1)");
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
    auto x = uniform_tensor({c.n, c.cin, c.h, c.w}, 3).requires_grad_(true);
    auto w = (uniform_tensor({c.cout, c.cin, c.k, c.k}, 4) / std::sqrt(c.cin * c.k * c.k))
                 .requires_grad_(true);
    auto b = (uniform_tensor({c.cout}, 5) * 0.1).requires_grad_(true);
    auto gy = uniform_tensor({c.n, c.cout, ho, wo}, 6);
    Stats sf = time_it(
        [&] {
          torch::NoGradGuard ng;
          auto y = torch::conv2d(x, w, b);
        },
        9, 0.05, 0.3, 3);
    report_us("W3", std::string(c.name) + " fwd", FW, sf);
    report_rate("W3", std::string(c.name) + " fwd", FW, "GFLOP/s", flop / 1e9, sf);
    Stats sb = time_it(
        [&] {
          x.mutable_grad() = torch::Tensor();
          w.mutable_grad() = torch::Tensor();
          b.mutable_grad() = torch::Tensor();
          auto y = torch::conv2d(x, w, b);
          y.backward(gy);
        },
        9, 0.05, 0.3, 3);
    report_us("W3", std::string(c.name) + " fwd+bwd", FW, sb, "grads: input, weight, bias");
    report_rate("W3", std::string(c.name) + " fwd+bwd", FW, "GFLOP/s", 3 * flop / 1e9, sb,
                "3x fwd flop");
  }
}

// ------------------------------------------------------------------ W4/W5
struct TorchData {
  torch::Tensor xtr, ytr, xte, yte;
};
// Training images are stored in the shared shuffled order (permutation(60000, 42)),
// so every epoch walks contiguous batches of that order.
static TorchData load_data(bool as_images) {
  TorchData D;
  auto mk = [&](const std::string& split, bool shuffle, torch::Tensor& x, torch::Tensor& y) {
    Dataset d = load_fmnist(split);
    std::vector<int> p = shuffle ? permutation(d.n, 42) : std::vector<int>();
    const int64_t sz = (int64_t)d.rows * d.cols;
    std::vector<int64_t> shape =
        as_images ? std::vector<int64_t>{d.n, 1, d.rows, d.cols} : std::vector<int64_t>{d.n, sz};
    x = torch::empty(shape, torch::kFloat32);
    y = torch::empty({d.n}, torch::kInt64);
    float* xp = x.data_ptr<float>();
    int64_t* yp = y.data_ptr<int64_t>();
    for (int i = 0; i < d.n; ++i) {
      int src = shuffle ? p[i] : i;
      std::copy(d.x.begin() + (size_t)src * sz, d.x.begin() + (size_t)(src + 1) * sz,
                xp + (size_t)i * sz);
      yp[i] = d.y[src];
    }
  };
  mk("train", true, D.xtr, D.ytr);
  mk("t10k", false, D.xte, D.yte);
  return D;
}

template <class Net>
static double accuracy(Net& net, const torch::Tensor& x, const torch::Tensor& y) {
  torch::NoGradGuard ng;
  net->eval();
  int64_t correct = 0, n = x.size(0);
  for (int64_t i = 0; i < n; i += 1000) {
    int64_t len = std::min<int64_t>(1000, n - i);
    auto pred = net->forward(x.narrow(0, i, len)).argmax(1);
    correct += pred.eq(y.narrow(0, i, len)).sum().template item<int64_t>();
  }
  net->train();
  return double(correct) / n;
}

template <class MakeNet, class MakeOpt>
static void train_epochs(const std::string& w, const std::string& cs, bool images, int reps,
                         MakeNet make_net, MakeOpt make_opt) {
  TorchData D = load_data(images);
  std::printf("INFO|%s|data loaded: current RSS %.1f MiB, peak so far %.1f MiB\n", w.c_str(),
              current_rss_mib(), peak_rss_mib());
  std::vector<double> secs, accs;
  double util_sum = 0;
  const int64_t B = 64, N = D.xtr.size(0);
  for (int r = 0; r < reps; ++r) {
    torch::manual_seed(r);
    auto net = make_net();
    auto opt = make_opt(net);
    double loss_sum = 0;
    int64_t nb = 0;
    double t0 = now_s(), c0 = cpu_s();
    for (int64_t i = 0; i < N; i += B) {
      int64_t len = std::min(B, N - i);
      opt.zero_grad();
      auto loss = F::cross_entropy(net->forward(D.xtr.narrow(0, i, len)), D.ytr.narrow(0, i, len));
      loss.backward();
      opt.step();
      loss_sum += loss.template item<float>();
      ++nb;
    }
    double t = now_s() - t0;
    util_sum += (cpu_s() - c0) / t;
    double rss_after = current_rss_mib();
    double te0 = now_s();
    double acc = accuracy(net, D.xte, D.yte);
    double te = now_s() - te0;
    secs.push_back(t);
    accs.push_back(acc);
    std::printf(
        "INFO|%s|rep %d: epoch %.3f s, mean train loss %.4f, test acc %.4f (eval %.2f s), "
        "RSS after epoch %.1f MiB\n",
        w.c_str(), r, t, loss_sum / nb, acc, te, rss_after);
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
      "W4", "LeNet FMNIST 1 epoch b64", true, reps, [] { return LeNet(); },
      [](LeNet& n) {
        return torch::optim::SGD(n->parameters(), torch::optim::SGDOptions(0.01).momentum(0.9));
      });
}

// W6: the CNN of xgrad's main job (32 and 64 channels), Adam lr 1e-3, batch 64.
static void w6(int reps) {
  train_epochs(
      "W6", "CNN 32-64 FMNIST 1 epoch b64 adam", true, reps, [] { return LeNet(32, 64); },
      [](LeNet& n) {
        return torch::optim::Adam(n->parameters(), torch::optim::AdamOptions(1e-3));
      });
}

static void w5(int reps) {
  train_epochs(
      "W5", "MLP 784-256-10 FMNIST 1 epoch b64", false, reps, [] { return MLP(784, 256, 10); },
      [](MLP& n) { return torch::optim::SGD(n->parameters(), torch::optim::SGDOptions(0.1)); });
}

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "config";
  int reps = argc > 2 ? std::atoi(argv[2]) : 2;
  if (reps < 1) {
    std::fprintf(stderr, "torch_bench: error: reps must be >= 1\n");
    return 2;
  }
  torch::set_num_threads(bench_threads());
  try {
    if (mode == "config") {
      std::printf("%s\n", at::show_config().c_str());
      std::printf("%s\n", at::get_parallel_info().c_str());
      std::printf("torch::get_num_threads()=%d mkldnn user-enabled=%d\n", torch::get_num_threads(),
                  (int)at::globalContext().userEnabledMkldnn());
    } else if (mode == "w1") {
      w1();
    } else if (mode == "w2") {
      w2();
    } else if (mode == "w3") {
      w3();
    } else if (mode == "w4") {
      w4(reps);
    } else if (mode == "w5") {
      w5(reps);
    } else if (mode == "w6") {
      w6(reps);
    } else {
      std::fprintf(stderr, "torch_bench: error: unknown mode %s (config|w1|w2|w3|w4|w5|w6)\n",
                   mode.c_str());
      return 2;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "torch_bench: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
