// A small transformer encoder that learns to sort (or reverse) sequences of
// digits, written as a user would: against the installed package
// (<xgrad.h>), from library layers (Embedding, LayerNorm, Linear) and ops
// (matmul, softmax, gelu), with the attention written out by hand.
//
//   input   3 9 0 4 4 1 7 2        the model sees the whole input at once and
//   target  0 1 2 3 4 4 7 9        predicts every output position in parallel
//
// Model (pre-norm, as in GPT-2 and most modern encoders):
//   h = embedding(tokens) + sinusoidal positions (Vaswani et al. 2017, 3.5)
//   per block:  h = h + attention(layer_norm(h))
//               h = h + W2 · gelu(W1 · layer_norm(h))
//   logits = Linear(layer_norm(h))       one softmax over the digits per position
//
// Held-out sequences are drawn once from their own seed and never trained on;
// exact-sequence accuracy counts a sequence right only if every position is.
//
//   xgrad-transformer-example --steps 1500 --length 10
//
// The last line is machine-readable, for CI:
//   RESULT first_loss=... last_loss=... accuracy_before=... accuracy=...
// and the exit code is 1 unless every loss is finite and the loss went down.
#include <xgrad.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

using namespace xgrad;

namespace {

constexpr std::int64_t kDigits = 10;

// A batch of the task: tokens and targets, (N, L) int64 each.
struct Examples {
  Tensor input, target;
};

// Draws n sequences of `length` digits; `skip` holds sequences (as numbers)
// that must not be drawn (the held-out set, when drawing training data).
Examples draw(std::size_t n, std::size_t length, bool reverse, Generator& gen,
              const std::unordered_set<std::uint64_t>* skip = nullptr,
              std::unordered_set<std::uint64_t>* drawn = nullptr) {
  std::vector<std::int64_t> in, out;
  in.reserve(n * length);
  out.reserve(n * length);
  while (in.size() < n * length) {
    Array u = gen.uniform({length}, 0, double(kDigits), kFloat64);
    std::vector<std::int64_t> seq(length);
    std::uint64_t key = 0;
    for (std::size_t i = 0; i < length; ++i) {
      seq[i] = std::min<std::int64_t>(kDigits - 1, std::int64_t(u.at(i)));
      key = key * kDigits + std::uint64_t(seq[i]);
    }
    if (skip && skip->count(key)) continue;
    if (drawn && !drawn->insert(key).second) continue;  // held-out sequences are distinct
    in.insert(in.end(), seq.begin(), seq.end());
    if (reverse) {
      std::reverse(seq.begin(), seq.end());
    } else {
      std::sort(seq.begin(), seq.end());
    }
    out.insert(out.end(), seq.begin(), seq.end());
  }
  return {tensor(in, {n, length}), tensor(out, {n, length})};
}

// Linear applied to the last dimension of (N, L, D): the library's Linear
// takes rows, so the positions are folded into the batch and back.
Tensor apply_rows(Module& layer, const Tensor& x) {
  const auto n = std::int64_t(x.shape()[0]), l = std::int64_t(x.shape()[1]);
  Tensor y = layer(reshape(x, {n * l, std::int64_t(x.shape()[2])}));
  return reshape(y, {n, l, std::int64_t(y.shape()[1])});
}

// Multi-head self-attention (Vaswani et al. 2017, 3.2.2):
//   q, k, v = x Wq, x Wk, x Wv split into H heads of size d = D / H
//   head_h = softmax(q_h k_hᵀ / sqrt(d)) v_h;  y = concat(heads) Wo
class SelfAttention : public Module {
 public:
  SelfAttention(std::size_t dim, std::size_t heads, Generator& gen) : dim_(dim), heads_(heads) {
    qkv_ = register_module("qkv", std::make_shared<Linear>(dim, 3 * dim, gen));
    out_ = register_module("out", std::make_shared<Linear>(dim, dim, gen));
  }
  Tensor forward(const Tensor& x) override {  // x (N, L, D)
    const auto n = std::int64_t(x.shape()[0]), l = std::int64_t(x.shape()[1]);
    const auto h = std::int64_t(heads_), d = std::int64_t(dim_ / heads_);
    // (N, L, 3D) -> (3, N, H, L, d): q, k and v, each one (N·H) batch of (L, d) matrices.
    Tensor qkv = permute(reshape(apply_rows(*qkv_, x), {n, l, 3, h, d}), {2, 0, 3, 1, 4});
    std::vector<Tensor> parts = chunk(reshape(qkv, {3, n * h, l, d}), 3, 0);
    Tensor q = squeeze(parts[0], 0), k = squeeze(parts[1], 0), v = squeeze(parts[2], 0);
    Tensor scores = matmul_t(q, k, false, true) / std::sqrt(double(d));  // (N·H, L, L)
    attention_ = softmax(scores, -1);
    Tensor heads = matmul(attention_, v);  // (N·H, L, d)
    Tensor y = reshape(permute(reshape(heads, {n, h, l, d}), {0, 2, 1, 3}), {n, l, h * d});
    return apply_rows(*out_, y);
  }
  std::string name() const override {
    return "SelfAttention(" + std::to_string(dim_) + ", " + std::to_string(heads_) + " heads)";
  }
  // The last forward's attention weights, (N·H, L, L).
  const Tensor& attention() const { return attention_; }

 private:
  std::size_t dim_, heads_;
  std::shared_ptr<Linear> qkv_, out_;
  Tensor attention_;
};

// One pre-norm encoder block: attention and a GELU MLP, each on a residual.
class EncoderBlock : public Module {
 public:
  EncoderBlock(std::size_t dim, std::size_t heads, std::size_t hidden, Generator& gen) {
    norm1_ = register_module("norm1", std::make_shared<LayerNorm>(dim));
    attention_ = register_module("attention", std::make_shared<SelfAttention>(dim, heads, gen));
    norm2_ = register_module("norm2", std::make_shared<LayerNorm>(dim));
    fc1_ = register_module("fc1", std::make_shared<Linear>(dim, hidden, gen));
    fc2_ = register_module("fc2", std::make_shared<Linear>(hidden, dim, gen));
  }
  Tensor forward(const Tensor& x) override {
    Tensor h = x + (*attention_)((*norm1_)(x));
    return h + apply_rows(*fc2_, gelu(apply_rows(*fc1_, (*norm2_)(h))));
  }
  std::string name() const override { return "EncoderBlock"; }

 private:
  std::shared_ptr<LayerNorm> norm1_, norm2_;
  std::shared_ptr<SelfAttention> attention_;
  std::shared_ptr<Linear> fc1_, fc2_;
};

// Sinusoidal positions: pe[p, 2i] = sin(p / 10000^(2i/D)), pe[p, 2i+1] = cos(...).
Tensor positional_encoding(std::size_t length, std::size_t dim) {
  std::vector<float> pe(length * dim);
  for (std::size_t p = 0; p < length; ++p) {
    for (std::size_t i = 0; i < dim; ++i) {
      const double angle = double(p) / std::pow(10000.0, double(i - i % 2) / double(dim));
      pe[p * dim + i] = float(i % 2 == 0 ? std::sin(angle) : std::cos(angle));
    }
  }
  return tensor(pe, {length, dim});
}

class SortingTransformer : public Module {
 public:
  SortingTransformer(std::size_t length, std::size_t dim, std::size_t heads, std::size_t layers,
                     Generator& gen)
      : dim_(dim), positions_(positional_encoding(length, dim)) {
    embedding_ = register_module("embedding", std::make_shared<Embedding>(kDigits, dim, gen));
    for (std::size_t i = 0; i < layers; ++i) {
      blocks_.push_back(register_module("block" + std::to_string(i),
                                        std::make_shared<EncoderBlock>(dim, heads, 4 * dim, gen)));
    }
    norm_ = register_module("norm", std::make_shared<LayerNorm>(dim));
    head_ = register_module("head", std::make_shared<Linear>(dim, kDigits, gen));
  }
  // tokens (N, L) int64 -> logits (N, L, 10)
  Tensor forward(const Tensor& tokens) override {
    Tensor h = (*embedding_)(tokens) + positions_;  // (N, L, D) + (L, D)
    for (auto& block : blocks_) h = (*block)(h);
    return apply_rows(*head_, (*norm_)(h));
  }
  std::string name() const override { return "SortingTransformer"; }
  const std::vector<std::shared_ptr<EncoderBlock>>& blocks() const { return blocks_; }

 private:
  std::size_t dim_;
  Tensor positions_;
  std::shared_ptr<Embedding> embedding_;
  std::vector<std::shared_ptr<EncoderBlock>> blocks_;
  std::shared_ptr<LayerNorm> norm_;
  std::shared_ptr<Linear> head_;
};

Tensor loss_of(const Tensor& logits, const Tensor& target) {
  const auto rows = std::int64_t(target.size());
  return softmax_cross_entropy(reshape(logits, {rows, kDigits}), reshape(target, {rows}));
}

// Predicted sequences (N, L) int64, and the fraction of them right in every position.
struct Scored {
  Tensor predicted;
  double exact;
};
Scored score(SortingTransformer& model, const Examples& data) {
  NoGradGuard no_grad;
  Tensor predicted = argmax(model(data.input), -1);
  Tensor wrong = sum(ne(predicted, data.target).to(kFloat32), {1});  // per sequence
  double right = 0;
  for (std::size_t i = 0; i < wrong.size(); ++i) right += wrong.value().at(i) == 0;
  return {predicted, right / double(wrong.size())};
}

std::string digits(const Tensor& t, std::size_t row) {
  std::string s;
  const std::size_t length = t.shape()[1];
  for (std::size_t i = 0; i < length; ++i) s += char('0' + int(t.at({row, i}))) + std::string(" ");
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"A transformer encoder that sorts (or reverses) digit sequences"};
  std::size_t steps = 1500, batch = 128, length = 10, dim = 64, heads = 4, layers = 2, threads = 0,
              test_size = 2000, log_every = 100;
  double lr = 1e-3;
  std::uint64_t seed = 1;
  std::string task = "sort";
  app.add_option("--steps", steps, "Training steps")->check(CLI::Range(1, 10000000));
  app.add_option("--batch", batch, "Sequences per step")->check(CLI::Range(1, 100000));
  app.add_option("--length", length, "Digits per sequence")->check(CLI::Range(2, 18));
  app.add_option("--dim", dim, "Model width D")->check(CLI::Range(2, 4096));
  app.add_option("--heads", heads, "Attention heads (dividing D)")->check(CLI::Range(1, 64));
  app.add_option("--layers", layers, "Encoder blocks")->check(CLI::Range(1, 64));
  app.add_option("--task", task, "What to learn")->check(CLI::IsMember({"sort", "reverse"}));
  app.add_option("--lr", lr, "Peak learning rate (Adam; linear warm-up, cosine decay)")
      ->check(CLI::PositiveNumber);
  app.add_option("--seed", seed, "Seed of the initialisation and the training data");
  app.add_option("--threads", threads, "Threads (default: all cores)")->check(CLI::Range(1, 1024));
  app.add_option("--test-size", test_size, "Held-out sequences")->check(CLI::Range(1, 1000000));
  app.add_option("--log-every", log_every, "Print the loss every N steps")
      ->check(CLI::Range(1, 1000000));
  std::string save;
  app.add_option("--save", save, "Write the trained model and optimiser state to this .npz");
  CLI11_PARSE(app, argc, argv);
  if (dim % heads != 0 || dim % 2 != 0) {
    std::cerr << "xgrad-transformer-example: error: --dim must be even and divisible by --heads\n";
    return 2;
  }

  try {
    std::optional<ThreadLimit> limit;
    if (threads > 0) limit.emplace(threads);
    const bool reverse = task == "reverse";
    // The held-out set has its own seed; training never draws one of its sequences.
    Generator test_gen(seed + 1000003);
    std::unordered_set<std::uint64_t> held_out;
    const Examples test = draw(test_size, length, reverse, test_gen, nullptr, &held_out);

    Generator gen(seed);
    SortingTransformer model(length, dim, heads, layers, gen);
    Adam opt(model.parameters(), lr);
    std::cout << model.describe() << "task: " << task << " " << length << " digits, "
              << opt.describe() << ", batch " << batch << ", " << steps << " steps\n";

    const double before = score(model, test).exact;
    std::printf("held-out exact-sequence accuracy before training: %.2f%%\n", 100 * before);
    // Learning rate, stepped per step: a linear warm-up from lr/warmup to lr
    // over the first 5% of the steps, then a cosine decay to 0.
    const std::size_t warmup = std::max<std::size_t>(1, steps / 20);
    auto warm = std::make_shared<LinearLR>(opt, 1.0 / double(warmup), 1.0, warmup);
    auto cosine =
        std::make_shared<CosineAnnealingLR>(opt, std::max<std::size_t>(1, steps - warmup));
    SequentialLR schedule(opt, {warm, cosine}, {warmup});
    double first_loss = NAN, last_loss = NAN, window = 0;
    std::size_t in_window = 0;
    bool finite = true;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t step = 1; step <= steps; ++step) {
      const Examples b = draw(batch, length, reverse, gen, &held_out);
      Tensor loss = loss_of(model(b.input), b.target);
      opt.zero_grad();
      loss.backward();
      opt.step();
      schedule.step();
      const double l = loss.item();
      finite = finite && std::isfinite(l);
      if (step == 1) first_loss = l;
      window += l;
      ++in_window;
      if (step % log_every == 0 || step == steps || !finite) {
        last_loss = window / double(in_window);
        window = 0;
        in_window = 0;
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("step %6zu  loss %.4f  lr %.2e  held-out exact %.2f%%  (%.1f s)\n", step,
                    last_loss, opt.lr(), 100 * score(model, test).exact, s);
        std::fflush(stdout);
      }
      if (!finite) break;
    }

    const Scored after = score(model, test);
    std::printf("held-out exact-sequence accuracy after training: %.2f%% (%zu sequences)\n",
                100 * after.exact, test_size);
    for (std::size_t i = 0; i < std::min<std::size_t>(4, test_size); ++i) {
      std::cout << "  input  " << digits(test.input, i) << "-> " << digits(after.predicted, i)
                << (digits(after.predicted, i) == digits(test.target, i) ? "" : " (wrong)") << "\n";
    }
    if (!save.empty()) {
      save_checkpoint(save, model, &opt);  // numpy.load(save)["model/..."] reads it
      std::cout << "wrote " << save << "\n";
    }
    std::printf("RESULT first_loss=%.9g last_loss=%.9g accuracy_before=%.9g accuracy=%.9g\n",
                first_loss, last_loss, before, after.exact);
    const bool ok = finite && last_loss < first_loss;
    if (!ok)
      std::cerr << "xgrad-transformer-example: the loss did not go down (or is not finite)\n";
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "xgrad-transformer-example: error: " << e.what() << "\n";
    return 1;
  }
}
