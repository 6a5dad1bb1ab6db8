// W4/W5/W6: one training epoch on Fashion-MNIST in the peers' fixed order
// (std::shuffle of 0..59999 with std::mt19937(42), applied once), batches of
// 64 (the last one 32); then test accuracy (not timed). W4: LeNet with SGD
// momentum; W5: MLP with SGD; W6: the main job's CNN (32 and 64 channels) with
// Adam 1e-3, as xgrad-train runs it by default.
#include <algorithm>
#include <functional>
#include <numeric>
#include <random>

#include "framework/data/data_loader.h"
#include "framework/data/dataset.h"
#include "framework/grad_mode.h"
#include "models/cnn.h"
#include "models/optim/adam.h"
#include "models/optim/sgd.h"
#include "models/train/builders.h"
#include "models/train/trainer.h"
#include "ops/kernels/conv2d_kernels.h"
#include "ops/kernels/gemm.h"
#include "ops/softmax_cross_entropy.h"
#include "tools/bench/bench_common.h"
#include "tools/bench/workloads.h"

namespace xgrad::bench {

namespace {
// The peers' order: libstdc++'s std::shuffle driven by std::mt19937(seed).
std::vector<std::size_t> peer_permutation(std::size_t n, unsigned seed) {
  std::vector<std::size_t> p(n);
  std::iota(p.begin(), p.end(), 0);
  std::mt19937 g(seed);
  std::shuffle(p.begin(), p.end(), g);
  return p;
}

// Puts sample order[i] at row i, in place (cycle by cycle), so the data set
// is never held twice (W4's peak-RSS goal).
void reorder(Dataset& d, const std::vector<std::size_t>& order) {
  const std::size_t width = d.x.size() / d.size();
  float* x = d.x.data<float>();
  float* y = d.y.data<float>();
  std::vector<bool> done(order.size(), false);
  std::vector<float> row(width);
  for (std::size_t start = 0; start < order.size(); ++start) {
    if (done[start]) continue;
    std::copy_n(x + start * width, width, row.data());
    const float label = y[start];
    std::size_t i = start;
    while (order[i] != start) {  // row i takes row order[i]
      std::copy_n(x + order[i] * width, width, x + i * width);
      y[i] = y[order[i]];
      done[i] = true;
      i = order[i];
    }
    std::copy_n(row.data(), width, x + i * width);
    y[i] = label;
    done[i] = true;
  }
}

// Training FLOPs of one image through a Cnn: 2 per multiply-add of the convolutions and
// linear layers, forward, weight gradient, and input gradient except for the first
// convolution (the images need none). Pooling, activations, the loss and the optimiser
// are left out: they are not multiply-adds, and what they cost shows in the ratio.
double cnn_training_flop(const CnnOptions& o) {
  const double k2 = double(o.kernel * o.kernel);
  const double s1 = double(o.image - o.kernel + 1), p1 = double((o.image - o.kernel + 1) / o.pool);
  const double s2 = p1 - double(o.kernel) + 1, p2 = double(std::size_t(s2) / o.pool);
  const double conv1 = 2 * double(o.c1) * s1 * s1 * double(o.in_channels) * k2;
  const double conv2 = 2 * double(o.c2) * s2 * s2 * double(o.c1) * k2;
  const double fc = 2 * (double(o.c2) * p2 * p2 * double(o.fc1) + double(o.fc1 * o.fc2) +
                         double(o.fc2 * o.classes));
  return 2 * conv1 + 3 * conv2 + 3 * fc;
}

std::string cnn_path() { return kernels::conv2d_path(); }

}  // namespace

void run_epochs(const std::string& w, const std::string& label, ImageLayout layout,
                const BenchOptions& options, const std::function<TrainSetup(unsigned)>& make,
                double flop, const std::string& path) {
  Dataset train = load_fashion_mnist(Split::kTrain, "", layout);
  const Dataset test = load_fashion_mnist(Split::kTest, "", layout);
  reorder(train, peer_permutation(train.size(), 42));
  const std::size_t n = options.smoke ? 640 : train.size(), batch = 64;
  // Batches in the stored (already permuted) order, gathered as a user's loop would.
  const DataLoader loader(train, batch, /*shuffle=*/false);
  const DataLoader::Epoch epoch = loader.epoch(0);
  std::vector<double> secs, accs;
  double util = 0;
  for (int r = 0; r < options.reps; ++r) {
    TrainSetup s = make(unsigned(r));
    const double t0 = ::bench::now_s(), c0 = ::bench::cpu_s();
    double loss_sum = 0;
    std::size_t steps = 0;
    for (std::size_t i = 0; i < n; i += batch) {
      const Batch b = epoch.batch(i / batch);
      s.optimizer->zero_grad();
      Tensor loss = softmax_cross_entropy((*s.model)(b.x), b.y);
      loss.backward();
      s.optimizer->step();
      loss_sum += loss.item();
      ++steps;
    }
    const double t = ::bench::now_s() - t0;
    util += (::bench::cpu_s() - c0) / t;
    const double acc = evaluate(*s.model, test, 1000).accuracy;
    secs.push_back(t);
    accs.push_back(acc);
    std::printf("INFO|%s|rep %d: epoch %.3f s, mean train loss %.4f, test acc %.4f, RSS %.1f MiB\n",
                w.c_str(), r, t, loss_sum / double(steps), acc, ::bench::current_rss_mib());
  }
  ::bench::Stats s = ::bench::summarize(secs, 1);
  ::bench::report(w, label, "xgrad", "s/epoch", s.med, s.min, s.max, ::bench::reps_str(s),
                  util / options.reps, "fresh init each rep");
  add_row({w, label, "s", s.med, flop > 0 ? compute_limit_s(flop * double(n), options) : 0, path});
  ::bench::Stats a = ::bench::summarize(accs, 1);
  ::bench::report(w, label, "xgrad", "test acc", a.med, a.min, a.max, ::bench::reps_str(a));
}

void run_w4(const BenchOptions& options) {
  run_epochs(
      "W4", "LeNet FMNIST 1 epoch b64", ImageLayout::kChannels, options,
      [](unsigned rep) {
        Generator gen(rep);
        TrainSetup s{std::make_shared<Cnn>(CnnOptions{}, gen), nullptr};
        SgdOptions sgd;
        sgd.lr = 0.01;
        sgd.momentum = 0.9;
        s.optimizer = std::make_unique<Sgd>(s.model->parameters(), sgd);
        return s;
      },
      cnn_training_flop(CnnOptions{}), cnn_path());
}

void run_w6(const BenchOptions& options) {
  CnnOptions cnn;  // xgrad-train's default model
  cnn.c1 = 32;
  cnn.c2 = 64;
  run_epochs(
      "W6", "CNN 32-64 FMNIST 1 epoch b64 adam", ImageLayout::kChannels, options,
      [cnn](unsigned rep) {
        Generator gen(rep);
        TrainSetup s{std::make_shared<Cnn>(cnn, gen), nullptr};
        s.optimizer = std::make_unique<Adam>(s.model->parameters(), AdamOptions{});
        return s;
      },
      cnn_training_flop(cnn), cnn_path());
}

void run_w5(const BenchOptions& options) {
  run_epochs(
      "W5", "MLP 784-256-10 FMNIST 1 epoch b64", ImageLayout::kFlat, options,
      [](unsigned rep) {
        ModelSpec spec;
        spec.activation = "sigmoid";
        spec.seed = rep;
        TrainSetup s{make_model(spec), nullptr};
        s.optimizer = make_optimizer({"sgd", 0.1, 0, 0}, s.model->parameters());
        return s;
      },
      2.0 * (784 * 256 * 2 + 256 * 10 * 3), kernels::sgemm_path());
}

}  // namespace xgrad::bench
