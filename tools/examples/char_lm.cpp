// A character-level language model (an LSTM) trained on the text of the GNU
// GPL version 3, written as a user would: against the installed package
// (<xgrad.h>), from library layers (Embedding, LSTM, Linear) and dropout.
//
//   x_t = embedding(char_t)                         (E numbers per character)
//   h_t, c_t = LSTM(x_t, h_{t-1}, c_{t-1})           (L layers of H numbers of state)
//   p(char_{t+1} | char_0..t) = softmax(W h_t + b)   (one score per character)
//
// The first 90% of the text trains it; the last 10% is held out. Training
// reads B streams of the text side by side, T characters at a time
// (truncated backpropagation through time: the state is carried from one
// chunk to the next but the gradient stops at the chunk's start). A chunk is
// read in upper case with probability --case-augment: the licence has
// passages in capitals (its warranty disclaimers) and the model should learn
// that "PROGRAM" is the word "program", not a string of rare letters.
// The held-out tail is scored in bits per character,
//   bpc = mean over its characters of −log2 p(char | the characters before),
// before and after training, and a paragraph is sampled from the model.
// After training it is scored once more under dynamic evaluation (the model
// keeps learning from the tail as it reads it, each character predicted
// before it is seen: bits_per_char_dynamic), the counterpart of an adaptive
// compressor's figure.
//
//   xgrad-char-lm-example --steps 1200
//
// The last line is machine-readable, for CI:
//   RESULT first_loss=... last_loss=... bpc_before=... bpc=... bpc_dynamic=...
// and the exit code is 1 unless every loss is finite and the loss went down.
#include <xgrad.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace xgrad;

namespace {

// The text as character ids, the characters by id, and each id's upper-case
// counterpart (itself for characters without one in the text).
struct Corpus {
  std::string alphabet;
  std::vector<std::int64_t> ids, upper;
};

Corpus read_corpus(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() < 100) throw std::runtime_error(path + ": fewer than 100 characters");
  Corpus c;
  c.alphabet = text;
  std::sort(c.alphabet.begin(), c.alphabet.end());
  c.alphabet.erase(std::unique(c.alphabet.begin(), c.alphabet.end()), c.alphabet.end());
  for (char ch : text) c.ids.push_back(std::int64_t(c.alphabet.find(ch)));
  for (std::size_t k = 0; k < c.alphabet.size(); ++k) {
    const auto up = c.alphabet.find(char(std::toupper(static_cast<unsigned char>(c.alphabet[k]))));
    c.upper.push_back(std::int64_t(up == std::string::npos ? k : up));
  }
  return c;
}

// The recurrent state of a batch of streams: the library's LSTMState, h and
// c of shape (layers, B, H).
using State = LSTMState;

// Embedding, LSTM (the library's: PyTorch's gate order, parameter names and
// initialisation; dropout between its layers), dropout on the LSTM's input and
// output, Linear read-out.
class CharLstm : public Module {
 public:
  CharLstm(std::size_t vocab, std::size_t embed, std::size_t hidden, std::size_t layers,
           double dropout, Generator& gen)
      : vocab_(vocab),
        hidden_(hidden),
        layers_(layers),
        dropout_(dropout),
        dropout_gen_(gen.seed() + 1) {
    embedding_ = register_module("embedding", std::make_shared<Embedding>(vocab, embed, gen));
    lstm_ = register_module(
        "lstm", std::make_shared<LSTM>(embed, hidden, gen,
                                       RNNOptions{.num_layers = layers, .dropout = dropout}));
    out_ = register_module("out", std::make_shared<Linear>(hidden, vocab, gen));
  }

  State initial_state(std::size_t batch) const {
    return {zeros({layers_, batch, hidden_}), zeros({layers_, batch, hidden_})};
  }

  // ids (T, B) -> logits (T·B, vocab); `state` is read and replaced by the last step's.
  Tensor forward(const Tensor& ids, State& state) {
    Tensor x = xgrad::dropout((*embedding_)(ids), dropout_, is_training(), dropout_gen_);
    LSTMOutput y = lstm_->forward_with_state(x, state);  // output (T, B, H)
    state = y.state;
    Tensor h = reshape(y.output, {-1, std::int64_t(hidden_)});  // (T·B, H)
    return (*out_)(xgrad::dropout(h, dropout_, is_training(), dropout_gen_));
  }
  Tensor forward(const Tensor&) override { throw ValueError("CharLstm: call forward(ids, state)"); }
  std::string name() const override {
    return "CharLstm(vocab " + std::to_string(vocab_) + ", hidden " + std::to_string(hidden_) +
           ", layers " + std::to_string(layers_) + ")";
  }

 private:
  std::size_t vocab_, hidden_, layers_;
  double dropout_;
  Generator dropout_gen_;  // the dropout masks' own stream
  std::shared_ptr<Embedding> embedding_;
  std::shared_ptr<LSTM> lstm_;
  std::shared_ptr<Linear> out_;
};

// ids[begin, end) as a (end - begin, 1) tensor.
Tensor column(const std::vector<std::int64_t>& ids, std::size_t begin, std::size_t end) {
  return tensor(std::vector<std::int64_t>(ids.begin() + long(begin), ids.begin() + long(end)),
                {end - begin, 1});
}

// Bits per character of ids[begin, end), each predicted from all the text
// before it in [begin - 1, ...) (one stream, state carried, no gradient).
double bits_per_char(CharLstm& model, const std::vector<std::int64_t>& ids, std::size_t begin,
                     std::size_t end) {
  NoGradGuard no_grad;
  model.eval();
  State state = model.initial_state(1);
  const std::size_t chunk = 256;
  double nats = 0;
  for (std::size_t t = begin; t < end; t += chunk) {
    const std::size_t stop = std::min(end, t + chunk);
    Tensor logits = model.forward(column(ids, t - 1, stop - 1), state);
    nats +=
        softmax_cross_entropy(logits, reshape(column(ids, t, stop), {-1}), Reduction::kSum).item();
  }
  model.train();
  return nats / double(end - begin) / std::log(2.0);
}

// Bits per character of ids[begin, end) under dynamic evaluation (Krause et
// al. 2018, "Dynamic Evaluation of Neural Sequence Models"): the text is
// read in segments; each segment is scored first, with the weights as they
// are, and only then does the model take one step on that segment's loss,
// so every character is still predicted before the model has seen it (as
// an adaptive compressor codes it). The step divides each gradient by its
// running RMS, as Krause et al.'s RMS variant does: Adam without momentum
// (beta1 = 0). The trained weights are restored afterwards.
double bits_per_char_dynamic(CharLstm& model, const std::vector<std::int64_t>& ids,
                             std::size_t begin, std::size_t end, double lr, std::size_t segment) {
  const NamedArrays trained = model.state_dict();
  model.eval();  // no dropout; the gradient is still recorded
  Adam opt(model.parameters(), {.lr = lr, .beta1 = 0, .beta2 = 0.99});
  State state = model.initial_state(1);
  double nats = 0;
  for (std::size_t t = begin; t < end; t += segment) {
    const std::size_t stop = std::min(end, t + segment);
    state = {state.h.detach(), state.c.detach()};
    Tensor logits = model.forward(column(ids, t - 1, stop - 1), state);
    Tensor loss = softmax_cross_entropy(logits, reshape(column(ids, t, stop), {-1}));
    nats += loss.item() * double(stop - t);  // scored before the step below
    opt.zero_grad();
    loss.backward();
    opt.step();
  }
  model.load_state_dict(trained);
  model.train();
  return nats / double(end - begin) / std::log(2.0);
}

// `length` characters sampled after `prompt`, at a temperature (below 1:
// more likely characters, above 1: more surprising ones).
std::string sample(CharLstm& model, const Corpus& corpus, const std::string& prompt,
                   std::size_t length, double temperature, Generator& gen) {
  NoGradGuard no_grad;
  model.eval();
  State state = model.initial_state(1);
  std::vector<std::int64_t> ids;
  for (char ch : prompt) {
    const auto k = corpus.alphabet.find(ch);
    if (k != std::string::npos) ids.push_back(std::int64_t(k));
  }
  if (ids.empty()) ids.push_back(0);
  std::string text = prompt;
  // The prompt but its last character sets the state; then one character at a time.
  if (ids.size() > 1) model.forward(column(ids, 0, ids.size() - 1), state);
  std::int64_t next = ids.back();
  for (std::size_t i = 0; i < length; ++i) {
    Tensor p = softmax(model.forward(tensor(std::vector<std::int64_t>{next}, {1, 1}), state) /
                       temperature);
    double u = gen.uniform({1}, 0, 1, kFloat64).at(0), acc = 0;
    next = std::int64_t(p.size()) - 1;
    for (std::size_t k = 0; k < p.size(); ++k) {
      acc += p.value().at(k);
      if (u < acc) {
        next = std::int64_t(k);
        break;
      }
    }
    text += corpus.alphabet[std::size_t(next)];
  }
  model.train();
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"A character-level LSTM language model on the GNU GPL version 3"};
  std::size_t steps = 1200, batch = 32, bptt = 64, embed = 64, hidden = 256, layers = 2,
              threads = 0, log_every = 100, sample_length = 400;
  double lr = 3e-3, temperature = 0.7, dropout = 0.3, dynamic_lr = 5e-4, case_augment = 0.4;
  std::size_t dynamic_segment = 8;
  std::uint64_t seed = 1;
  std::string path = "/usr/share/common-licenses/GPL-3", prompt = "The ";
  app.add_option("--steps", steps, "Training steps (one chunk of every stream each)")
      ->check(CLI::Range(1, 10000000));
  app.add_option("--batch", batch, "Streams read side by side")->check(CLI::Range(1, 4096));
  app.add_option("--bptt", bptt, "Characters per chunk (truncated BPTT)")
      ->check(CLI::Range(1, 4096));
  app.add_option("--embed", embed, "Embedding size E")->check(CLI::Range(1, 4096));
  app.add_option("--hidden", hidden, "LSTM state size H")->check(CLI::Range(1, 4096));
  app.add_option("--layers", layers, "LSTM layers")->check(CLI::Range(1, 16));
  app.add_option("--dropout", dropout,
                 "Dropout on the embeddings, between the LSTM's layers and on its outputs")
      ->check(CLI::Range(0.0, 0.99));
  app.add_option("--case-augment", case_augment,
                 "Probability that a stream's chunk is read in upper case while training")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--lr", lr, "Peak learning rate (Adam; cosine decay)")->check(CLI::PositiveNumber);
  app.add_option("--seed", seed, "Seed of the initialisation, stream offsets and sampling");
  app.add_option("--threads", threads, "Threads (default: all cores)")->check(CLI::Range(1, 1024));
  app.add_option("--log-every", log_every, "Print the loss (and held-out bpc) every N steps")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--text", path, "The text to learn");
  app.add_option("--prompt", prompt, "Start of the sampled paragraph");
  app.add_option("--sample-length", sample_length, "Characters to sample");
  app.add_option("--temperature", temperature, "Sampling temperature")->check(CLI::PositiveNumber);
  app.add_option("--dynamic-lr", dynamic_lr,
                 "Step size of dynamic evaluation on the held-out tail (0: static only)")
      ->check(CLI::Range(0.0, 1e6));
  app.add_option("--dynamic-segment", dynamic_segment,
                 "Characters scored per dynamic-evaluation step")
      ->check(CLI::Range(1, 4096));
  std::string save;
  app.add_option("--save", save, "Write the trained model and optimiser state to this .npz");
  CLI11_PARSE(app, argc, argv);

  try {
    std::optional<ThreadLimit> limit;
    if (threads > 0) limit.emplace(threads);
    const Corpus corpus = read_corpus(path);
    const std::size_t n = corpus.ids.size(), split = n - n / 10;
    if (split < batch * (bptt + 1)) {
      throw ValueError("the training text (" + std::to_string(split) +
                       " characters) is shorter than --batch x (--bptt + 1)");
    }
    Generator gen(seed);
    CharLstm model(corpus.alphabet.size(), embed, hidden, layers, dropout, gen);
    Generator augment_gen(seed + 2);  // which chunks are upper-cased: a stream of its own
    Adam opt(model.parameters(), lr);
    CosineAnnealingLR schedule(opt, steps);  // lr down to 0 over the run, stepped per step
    std::cout << model.describe() << corpus.alphabet.size() << " characters, " << split
              << " to train on, " << n - split << " held out; " << opt.describe() << ", batch "
              << batch << " x " << bptt << ", " << steps << " steps\n";
    const double bpc_before = bits_per_char(model, corpus.ids, split, n);
    std::printf("held-out bits per character before training: %.3f\n", bpc_before);

    // Stream s starts at s/B of the training text, shifted by a seeded
    // offset each time the streams wrap around.
    const std::size_t span = split / batch;
    std::vector<std::size_t> position(batch);
    auto restart = [&] {
      const std::size_t shift = std::size_t(gen.uniform({1}, 0, double(span), kFloat64).at(0));
      for (std::size_t s = 0; s < batch; ++s) position[s] = (s * span + shift) % (split - bptt - 1);
    };
    restart();
    State state = model.initial_state(batch);
    double first_loss = NAN, last_loss = NAN, window = 0;
    std::size_t in_window = 0, consumed = 0;
    bool finite = true;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t step = 1; step <= steps; ++step) {
      if (consumed + bptt > span) {  // every stream has read its span: start over
        restart();
        state = model.initial_state(batch);
        consumed = 0;
      }
      // Which streams read this chunk in upper case (--case-augment).
      std::vector<bool> upper(batch, false);
      if (case_augment > 0) {
        const Array u = augment_gen.uniform({batch}, 0, 1, kFloat64);
        for (std::size_t s = 0; s < batch; ++s) upper[s] = u.at({s}) < case_augment;
      }
      std::vector<std::int64_t> in(bptt * batch), target(bptt * batch);  // (T, B), time-major
      for (std::size_t t = 0; t < bptt; ++t) {
        for (std::size_t s = 0; s < batch; ++s) {
          auto id = [&](std::size_t at) {
            return upper[s] ? corpus.upper[std::size_t(corpus.ids[at])] : corpus.ids[at];
          };
          const std::size_t at = (position[s] + t) % (split - 1);
          in[t * batch + s] = id(at);
          target[t * batch + s] = id(at + 1);
        }
      }
      for (auto& p : position) p += bptt;
      consumed += bptt;
      state = {state.h.detach(), state.c.detach()};  // truncate: no gradient into the last chunk
      Tensor logits = model.forward(tensor(in, {bptt, batch}), state);
      Tensor loss = softmax_cross_entropy(logits, tensor(target, {bptt * batch}));
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
        std::printf("step %6zu  train %.3f bpc  held-out %.3f bpc  lr %.2e  (%.1f s)\n", step,
                    last_loss / std::log(2.0), bits_per_char(model, corpus.ids, split, n), opt.lr(),
                    s);
        std::fflush(stdout);
      }
      if (!finite) break;
    }

    const double bpc = bits_per_char(model, corpus.ids, split, n);
    std::printf("held-out bits per character after training: %.3f (%zu characters)\n", bpc,
                n - split);
    double bpc_dynamic = NAN;
    if (dynamic_lr > 0) {
      bpc_dynamic = bits_per_char_dynamic(model, corpus.ids, split, n, dynamic_lr, dynamic_segment);
      std::printf(
          "held-out bits per character, dynamic evaluation (a step of %g per %zu "
          "characters): %.3f\n",
          dynamic_lr, dynamic_segment, bpc_dynamic);
    }
    std::cout << "sampled at temperature " << temperature << ":\n"
              << sample(model, corpus, prompt, sample_length, temperature, gen) << "\n";
    if (!save.empty()) {
      save_checkpoint(save, model, &opt);  // numpy.load(save)["model/..."] reads it
      std::cout << "wrote " << save << "\n";
    }
    std::printf("RESULT first_loss=%.9g last_loss=%.9g bpc_before=%.9g bpc=%.9g bpc_dynamic=%.9g\n",
                first_loss, last_loss, bpc_before, bpc, bpc_dynamic);
    const bool ok = finite && last_loss < first_loss;
    if (!ok) std::cerr << "xgrad-char-lm-example: the loss did not go down (or is not finite)\n";
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "xgrad-char-lm-example: error: " << e.what() << "\n";
    return 1;
  }
}
