// A convolutional autoencoder with batch normalisation on Fashion-MNIST,
// written as a user would: against the installed package (<xgrad.h>), from
// library layers (Conv2d, Linear, BatchNorm2d) and one layer of its own
// (ConvTranspose2d, over the conv_transpose2d op). It trains to reproduce
// each image through a 32-number bottleneck, prints the test reconstruction
// error (MSE per pixel) before and after, and writes a PNG of test images
// (odd rows) above their reconstructions (even rows).
//
//   xgrad-autoencoder-example --epochs 5 --png reconstructions.png
//
// The last line is machine-readable, for CI:
//   RESULT first_loss=... last_loss=... test_mse_before=... test_mse=...
// and the exit code is 1 unless every loss is finite and the training loss
// went down.
#include <xgrad.h>
#include <zlib.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace xgrad;

namespace {

// A transposed convolution as a layer: the decoder's upsampling. Its weight
// has PyTorch's layout (Cin, Cout, KH, KW) and initialisation,
// U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = Cout·KH·KW (what
// nn.ConvTranspose2d computes from weight.size(1)).
class ConvTranspose2d : public Module {
 public:
  ConvTranspose2d(std::size_t in, std::size_t out, std::size_t kernel, Generator& gen,
                  std::size_t stride, std::size_t padding, std::size_t output_padding)
      : in_(in), out_(out), options_(stride, padding), output_padding_(output_padding) {
    const double bound = 1 / std::sqrt(double(out * kernel * kernel));
    weight_ = register_parameter("weight", uniform({in, out, kernel, kernel}, -bound, bound, gen),
                                 ParamRole::kWeight);
    bias_ = register_parameter("bias", uniform({out}, -bound, bound, gen), ParamRole::kBias);
  }
  Tensor forward(const Tensor& x) override {
    return conv_transpose2d(x, weight_, bias_, options_, {output_padding_, output_padding_});
  }
  std::string name() const override {
    return "ConvTranspose2d(" + std::to_string(in_) + " -> " + std::to_string(out_) + ")";
  }

 private:
  std::size_t in_, out_;
  Conv2dOptions options_;
  std::size_t output_padding_;
  Tensor weight_, bias_;
};

// Encoder: 28x28 -> 16x14x14 -> 32x7x7 -> latent; decoder: back again,
// each hidden convolution followed by batch normalisation and a ReLU.
class AutoEncoder : public Module {
 public:
  AutoEncoder(std::size_t latent, Generator& gen) {
    const Conv2dOptions down(2, 1);  // stride 2, padding 1: halves the side
    conv1_ = register_module("conv1", std::make_shared<Conv2d>(1, 16, 3, gen, down, false));
    bn1_ = register_module("bn1", std::make_shared<BatchNorm2d>(16));
    conv2_ = register_module("conv2", std::make_shared<Conv2d>(16, 32, 3, gen, down, false));
    bn2_ = register_module("bn2", std::make_shared<BatchNorm2d>(32));
    to_latent_ = register_module("to_latent", std::make_shared<Linear>(32 * 7 * 7, latent, gen));
    from_latent_ =
        register_module("from_latent", std::make_shared<Linear>(latent, 32 * 7 * 7, gen));
    bn3_ = register_module("bn3", std::make_shared<BatchNorm2d>(32));
    // kernel 3, stride 2, padding 1, output padding 1: doubles the side.
    up1_ = register_module("up1", std::make_shared<ConvTranspose2d>(32, 16, 3, gen, 2, 1, 1));
    bn4_ = register_module("bn4", std::make_shared<BatchNorm2d>(16));
    up2_ = register_module("up2", std::make_shared<ConvTranspose2d>(16, 1, 3, gen, 2, 1, 1));
  }
  // (N, 1, 28, 28) -> (N, latent)
  Tensor encode(const Tensor& x) {
    Tensor h = relu((*bn1_)((*conv1_)(x)));
    h = relu((*bn2_)((*conv2_)(h)));
    return (*to_latent_)(reshape(h, {std::int64_t(h.shape()[0]), -1}));
  }
  // (N, latent) -> (N, 1, 28, 28) in (0, 1)
  Tensor decode(const Tensor& z) {
    Tensor h = reshape((*from_latent_)(z), {std::int64_t(z.shape()[0]), 32, 7, 7});
    h = relu((*bn3_)(h));
    h = relu((*bn4_)((*up1_)(h)));
    return sigmoid((*up2_)(h));
  }
  Tensor forward(const Tensor& x) override { return decode(encode(x)); }
  std::string name() const override { return "AutoEncoder"; }

 private:
  std::shared_ptr<Conv2d> conv1_, conv2_;
  std::shared_ptr<BatchNorm2d> bn1_, bn2_, bn3_, bn4_;
  std::shared_ptr<Linear> to_latent_, from_latent_;
  std::shared_ptr<ConvTranspose2d> up1_, up2_;
};

// Mean squared error per pixel over the first `limit` images of `data`, in
// eval mode (batch normalisation uses its running statistics).
double test_mse(AutoEncoder& model, const Dataset& data, std::size_t limit) {
  NoGradGuard no_grad;
  model.eval();
  const std::size_t n = std::min(limit, data.size());
  DataLoader loader(data, 500, /*shuffle=*/false);
  double total = 0;
  std::size_t seen = 0;
  for (const Batch& b : loader.epoch(0)) {
    if (seen >= n) break;
    Tensor x = b.x;
    if (seen + x.shape()[0] > n) x = slice(x, 0, 0, std::int64_t(n - seen));
    total += mse(model(x), x, Reduction::kSum).item();
    seen += x.shape()[0];
  }
  model.train();
  return total / double(seen * 28 * 28);
}

// A grayscale PNG (8 bits per pixel) of `pixels` (row-major, values in
// [0, 1]), with zlib: signature, IHDR, one IDAT, IEND.
void write_png(const std::string& path, const std::vector<float>& pixels, std::size_t width,
               std::size_t height) {
  std::vector<unsigned char> raw;  // each row: filter byte 0, then the pixels
  raw.reserve((width + 1) * height);
  for (std::size_t r = 0; r < height; ++r) {
    raw.push_back(0);
    for (std::size_t c = 0; c < width; ++c) {
      const float v = std::clamp(pixels[r * width + c], 0.0f, 1.0f);
      raw.push_back(static_cast<unsigned char>(std::lround(v * 255)));
    }
  }
  uLongf packed_size = compressBound(uLong(raw.size()));
  std::vector<unsigned char> packed(packed_size);
  if (compress2(packed.data(), &packed_size, raw.data(), uLong(raw.size()), 9) != Z_OK) {
    throw std::runtime_error("write_png: zlib failed");
  }
  packed.resize(packed_size);
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + path);
  auto be32 = [](std::vector<unsigned char>& v, std::uint32_t x) {
    for (int s = 24; s >= 0; s -= 8) v.push_back(static_cast<unsigned char>(x >> s));
  };
  auto chunk = [&](const char* type, const std::vector<unsigned char>& data) {
    std::vector<unsigned char> c;
    be32(c, std::uint32_t(data.size()));
    c.insert(c.end(), type, type + 4);
    c.insert(c.end(), data.begin(), data.end());
    const std::uint32_t crc = std::uint32_t(crc32(0, c.data() + 4, uInt(c.size() - 4)));
    be32(c, crc);
    out.write(reinterpret_cast<const char*>(c.data()), std::streamsize(c.size()));
  };
  const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  out.write(reinterpret_cast<const char*>(signature), 8);
  std::vector<unsigned char> ihdr;
  be32(ihdr, std::uint32_t(width));
  be32(ihdr, std::uint32_t(height));
  ihdr.insert(ihdr.end(), {8, 0, 0, 0, 0});  // 8-bit grayscale, no interlace
  chunk("IHDR", ihdr);
  chunk("IDAT", packed);
  chunk("IEND", {});
  if (!out) throw std::runtime_error("cannot write " + path);
}

// `columns` test images per row pair: originals, then their reconstructions
// below; 2 pixels of gap, each image scaled by 2.
void write_grid(AutoEncoder& model, const Dataset& test, std::size_t rows, std::size_t columns,
                const std::string& path) {
  NoGradGuard no_grad;
  model.eval();
  const std::size_t n = rows * columns, scale = 2, cell = 28 * scale + 2;
  DataLoader loader(test, n, /*shuffle=*/false);
  Tensor x = loader.epoch(0).batch(0).x;
  Tensor y = model(x);
  model.train();
  const std::size_t width = columns * cell, height = 2 * rows * cell;
  std::vector<float> pixels(width * height, 1.0f);  // white gaps
  for (std::size_t k = 0; k < n; ++k) {
    for (int which = 0; which < 2; ++which) {
      const float* img = (which == 0 ? x : y).value().data<float>() + k * 28 * 28;
      const std::size_t top = (2 * (k / columns) + which) * cell, left = (k % columns) * cell;
      for (std::size_t r = 0; r < 28 * scale; ++r) {
        for (std::size_t c = 0; c < 28 * scale; ++c) {
          // Dark clothes on white, as the images are usually shown.
          pixels[(top + r) * width + left + c] = 1.0f - img[(r / scale) * 28 + c / scale];
        }
      }
    }
  }
  write_png(path, pixels, width, height);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Convolutional autoencoder with batch normalisation on Fashion-MNIST"};
  std::size_t epochs = 5, batch = 64, latent = 32, threads = 0, train_limit = 60000,
              test_limit = 10000, max_steps = 0, log_every = 100;
  double lr = 2e-3;
  std::uint64_t seed = 1;
  std::string png = "autoencoder.png", data_dir;
  app.add_option("--epochs", epochs, "Passes over the training images")->check(CLI::Range(1, 1000));
  app.add_option("--batch", batch, "Images per step")->check(CLI::Range(2, 60000));
  app.add_option("--latent", latent, "Size of the bottleneck")->check(CLI::Range(1, 1568));
  app.add_option("--lr", lr, "Adam's learning rate")->check(CLI::PositiveNumber);
  app.add_option("--seed", seed, "Seed of the initialisation and the batch order");
  app.add_option("--threads", threads, "Threads (default: all cores)")->check(CLI::Range(1, 1024));
  app.add_option("--train-limit", train_limit, "Train on the first N images")
      ->check(CLI::Range(2, 60000));
  app.add_option("--test-limit", test_limit, "Measure on the first N test images")
      ->check(CLI::Range(1, 10000));
  app.add_option("--max-steps", max_steps, "Stop after N steps (0: no limit)");
  app.add_option("--log-every", log_every, "Print the loss every N steps")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--png", png, "Where to write test images beside their reconstructions");
  app.add_option("--data", data_dir, "Fashion-MNIST directory (default: $FMNIST_DIR or Debian's)");
  std::string save;
  app.add_option("--save", save, "Write the trained model and optimiser state to this .npz");
  CLI11_PARSE(app, argc, argv);

  try {
    std::optional<ThreadLimit> limit;
    if (threads > 0) limit.emplace(threads);
    Dataset train = load_fashion_mnist(Split::kTrain, data_dir, ImageLayout::kChannels);
    Dataset test = load_fashion_mnist(Split::kTest, data_dir, ImageLayout::kChannels);
    if (train_limit < train.size()) train = slice(train, 0, train_limit);

    Generator gen(seed);
    AutoEncoder model(latent, gen);
    Adam opt(model.parameters(), lr);
    std::cout << model.describe() << model.parameter_count() << " parameters, " << opt.describe()
              << ", batch " << batch << ", " << train.size() << " training images\n";

    const double mse_before = test_mse(model, test, test_limit);
    std::printf("test MSE before training: %.5f\n", mse_before);
    DataLoader loader(train, batch, /*shuffle=*/true, seed, /*drop_last=*/true);
    double first_loss = NAN, last_loss = NAN, window = 0;
    std::size_t step = 0, in_window = 0;
    bool finite = true;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t epoch = 0; epoch < epochs && (max_steps == 0 || step < max_steps); ++epoch) {
      for (const Batch& b : loader.epoch(epoch)) {
        Tensor loss = mse(model(b.x), b.x);
        opt.zero_grad();
        loss.backward();
        opt.step();
        const double l = loss.item();
        finite = finite && std::isfinite(l);
        if (step == 0) first_loss = l;
        window += l;
        ++in_window;
        ++step;
        if (step % log_every == 0 || step == max_steps) {
          last_loss = window / double(in_window);
          const double s =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          std::printf("epoch %zu step %6zu  loss %.5f  (%.1f s)\n", epoch + 1, step, last_loss, s);
          std::fflush(stdout);
          window = 0;
          in_window = 0;
        }
        if (!finite || step == max_steps) break;
      }
      if (!finite) break;
      std::printf("epoch %zu: test MSE %.5f\n", epoch + 1, test_mse(model, test, test_limit));
    }
    if (in_window > 0) last_loss = window / double(in_window);

    const double mse_after = test_mse(model, test, test_limit);
    std::printf("test MSE after training: %.5f (per pixel, %zu test images)\n", mse_after,
                std::min(test_limit, test.size()));
    if (!png.empty()) {
      write_grid(model, test, 2, 12, png);
      std::cout << "wrote " << png << " (test images, their reconstructions below)\n";
    }
    if (!save.empty()) {
      save_checkpoint(save, model, &opt);  // numpy.load(save)["model/..."] reads it
      std::cout << "wrote " << save << "\n";
    }
    std::printf("RESULT first_loss=%.9g last_loss=%.9g test_mse_before=%.9g test_mse=%.9g\n",
                first_loss, last_loss, mse_before, mse_after);
    const bool ok = finite && std::isfinite(mse_after) && last_loss < first_loss;
    if (!ok)
      std::cerr << "xgrad-autoencoder-example: the loss did not go down (or is not finite)\n";
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "xgrad-autoencoder-example: error: " << e.what() << "\n";
    return 1;
  }
}
