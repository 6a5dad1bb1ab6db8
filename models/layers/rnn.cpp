#include "models/layers/rnn.h"

#include <cmath>

#include "models/format.h"
#include "models/layers/dropout.h"
#include "ops/arithmetic.h"
#include "ops/concat.h"
#include "ops/dropout.h"
#include "ops/linear.h"
#include "ops/sigmoid.h"
#include "ops/slice.h"
#include "ops/squeeze.h"
#include "ops/tanh.h"
#include "ops/transpose.h"

namespace xgrad {

namespace {

// One time step from the input's gate pre-activations gx = W_ih x + b_ih;
// w_hr (proj_size) projects h' when defined.
LSTMState lstm_step(const Tensor& gx, const Tensor& h, const Tensor& c, const Tensor& w_hh,
                    const Tensor& b_hh, const Tensor& w_hr = Tensor()) {
  const std::vector<Tensor> g = chunk(gx + linear(h, w_hh, b_hh), 4, 1);  // i, f, g, o
  const Tensor c_next = sigmoid(g[1]) * c + sigmoid(g[0]) * tanh(g[2]);
  const Tensor h_next = sigmoid(g[3]) * tanh(c_next);
  return {w_hr.defined() ? linear(h_next, w_hr) : h_next, c_next};
}

Tensor gru_step(const Tensor& gx, const Tensor& h, const Tensor& w_hh, const Tensor& b_hh) {
  const std::vector<Tensor> i = chunk(gx, 3, 1);                     // r, z, n of the input
  const std::vector<Tensor> s = chunk(linear(h, w_hh, b_hh), 3, 1);  // r, z, n of the state
  const Tensor r = sigmoid(i[0] + s[0]);
  const Tensor z = sigmoid(i[1] + s[1]);
  const Tensor n = tanh(i[2] + r * s[2]);
  return n + z * (h - n);  // (1 - z) n + z h
}

Tensor uniform_param(Generator& gen, const Shape& shape, std::size_t hidden, DType dtype) {
  const double k = 1.0 / std::sqrt(double(hidden));
  return Tensor(gen.uniform(shape, -k, k, dtype));
}

void check_sizes(const char* kind, std::size_t in, std::size_t hidden) {
  if (in == 0 || hidden == 0) {
    throw ValueError(std::string(kind) + ": input_size and hidden_size must be positive, got " +
                     std::to_string(in) + " and " + std::to_string(hidden));
  }
}

// Checks a cell's input (N, F) or (F); returns it as (N, F).
Tensor cell_input(const std::string& who, const Tensor& x, std::size_t in, const Tensor& weight,
                  bool& batched) {
  if (!x.defined()) throw ValueError(who + ": undefined input");
  if ((x.dim() != 1 && x.dim() != 2) || x.shape().back() != in) {
    throw_shape_error(
        who, "input must be (N, " + std::to_string(in) + ") or (" + std::to_string(in) + ")",
        "input", x.shape());
  }
  if (x.dtype() != weight.dtype()) {
    throw_dtype_error(who, "input must have the parameters' dtype", "input", x.dtype(), "weight",
                      weight.dtype());
  }
  batched = x.dim() == 2;
  return batched ? x : unsqueeze(x, 0);
}

// Checks a cell's state against its (N, F) input; returns it as (N, H), zeros if undefined.
Tensor cell_state(const std::string& who, const char* what, const Tensor& s, bool batched,
                  std::size_t n, std::size_t hidden, DType dtype) {
  if (!s.defined()) return Tensor(Array::zeros({n, hidden}, dtype));
  const Shape want = batched ? Shape{n, hidden} : Shape{hidden};
  if (s.shape() != want) {
    throw_shape_error(who, std::string(what) + " must match the input's batch and hidden_size",
                      what, s.shape(), "expected", want);
  }
  if (s.dtype() != dtype) {
    throw_dtype_error(who, std::string(what) + " must have the parameters' dtype", what, s.dtype(),
                      "weight", dtype);
  }
  return batched ? s : unsqueeze(s, 0);
}

}  // namespace

// ---- cells ----

RNNCellBase::RNNCellBase(const char* kind, std::size_t gates, std::size_t input_size,
                         std::size_t hidden_size, Generator& gen, bool bias, DType dtype)
    : kind_(kind), in_(input_size), hidden_(hidden_size) {
  check_sizes(kind, in_, hidden_);
  const std::size_t g = gates * hidden_;
  w_ih_ = register_parameter("weight_ih", uniform_param(gen, {g, in_}, hidden_, dtype),
                             ParamRole::kWeight);
  w_hh_ = register_parameter("weight_hh", uniform_param(gen, {g, hidden_}, hidden_, dtype),
                             ParamRole::kWeight);
  if (bias) {
    b_ih_ =
        register_parameter("bias_ih", uniform_param(gen, {g}, hidden_, dtype), ParamRole::kBias);
    b_hh_ =
        register_parameter("bias_hh", uniform_param(gen, {g}, hidden_, dtype), ParamRole::kBias);
  }
}

std::string RNNCellBase::name() const {
  return std::string(kind_) + "(" + std::to_string(in_) + ", " + std::to_string(hidden_) +
         (b_ih_.defined() ? "" : ", bias=false") + ")";
}

LSTMCell::LSTMCell(std::size_t input_size, std::size_t hidden_size, Generator& gen, bool bias,
                   DType dtype)
    : RNNCellBase("LSTMCell", 4, input_size, hidden_size, gen, bias, dtype) {}

LSTMState LSTMCell::forward_with_state(const Tensor& x, const LSTMState& state) {
  bool batched = true;
  const Tensor x2 = cell_input(name(), x, in_, w_ih_, batched);
  if (state.h.defined() != state.c.defined()) {
    throw ValueError(name() + ": give both h and c of the state, or neither");
  }
  const std::size_t n = x2.shape()[0];
  const Tensor h = cell_state(name(), "h", state.h, batched, n, hidden_, w_ih_.dtype());
  const Tensor c = cell_state(name(), "c", state.c, batched, n, hidden_, w_ih_.dtype());
  LSTMState next = lstm_step(linear(x2, w_ih_, b_ih_), h, c, w_hh_, b_hh_);
  if (!batched) next = {squeeze(next.h, 0), squeeze(next.c, 0)};
  return next;
}

Tensor LSTMCell::forward(const Tensor& x) { return forward_with_state(x).h; }

Tensor LSTMCell::forward_many(const std::vector<Tensor>& inputs) {
  if (inputs.size() == 1) return forward(inputs[0]);
  if (inputs.size() != 3) {
    throw ValueError(name() + ": takes (x) or (x, h, c), got " + std::to_string(inputs.size()) +
                     " inputs");
  }
  return forward_with_state(inputs[0], {inputs[1], inputs[2]}).h;
}

GRUCell::GRUCell(std::size_t input_size, std::size_t hidden_size, Generator& gen, bool bias,
                 DType dtype)
    : RNNCellBase("GRUCell", 3, input_size, hidden_size, gen, bias, dtype) {}

Tensor GRUCell::forward(const Tensor& x, const Tensor& h) {
  bool batched = true;
  const Tensor x2 = cell_input(name(), x, in_, w_ih_, batched);
  const Tensor h2 = cell_state(name(), "h", h, batched, x2.shape()[0], hidden_, w_ih_.dtype());
  const Tensor next = gru_step(linear(x2, w_ih_, b_ih_), h2, w_hh_, b_hh_);
  return batched ? next : squeeze(next, 0);
}

Tensor GRUCell::forward(const Tensor& x) { return forward(x, Tensor()); }

Tensor GRUCell::forward_many(const std::vector<Tensor>& inputs) {
  if (inputs.size() == 1) return forward(inputs[0], Tensor());
  if (inputs.size() != 2) {
    throw ValueError(name() + ": takes (x) or (x, h), got " + std::to_string(inputs.size()) +
                     " inputs");
  }
  return forward(inputs[0], inputs[1]);
}

// ---- multi-step layers ----

RNNBase::RNNBase(const char* kind, std::size_t gates, std::size_t input_size,
                 std::size_t hidden_size, Generator& gen, const RNNOptions& options)
    : kind_(kind),
      in_(input_size),
      hidden_(hidden_size),
      num_layers_(options.num_layers),
      options_(options) {
  check_sizes(kind, in_, hidden_);
  const std::string who(kind);
  if (num_layers_ == 0) throw ValueError(who + ": num_layers must be positive, got 0");
  if (!(options.dropout >= 0 && options.dropout < 1)) {
    throw ValueError(who + ": dropout must be in [0, 1), got " + format_number(options.dropout));
  }
  if (options.proj_size != 0 && gates != 4) {  // PyTorch: RNN and GRU have no projection
    throw ValueError(who + ": proj_size is only offered by LSTM, got proj_size=" +
                     std::to_string(options.proj_size));
  }
  if (options.proj_size >= hidden_) {
    throw ValueError(who + ": proj_size must be smaller than hidden_size, got proj_size=" +
                     std::to_string(options.proj_size) +
                     ", hidden_size=" + std::to_string(hidden_));
  }
  const std::size_t g = gates * hidden_, s = h_size(), p = options.proj_size;
  for (std::size_t l = 0; l < num_layers_; ++l) {
    const std::size_t in = l == 0 ? in_ : directions() * s;
    for (std::size_t d = 0; d < directions(); ++d) {
      const std::string suffix = "_l" + std::to_string(l) + (d == 1 ? "_reverse" : "");
      auto param = [&](const std::string& base, const Shape& shape, ParamRole role) {
        return register_parameter(base + suffix, uniform_param(gen, shape, hidden_, options.dtype),
                                  role);
      };
      Cell cell;
      cell.w_ih = param("weight_ih", {g, in}, ParamRole::kWeight);
      cell.w_hh = param("weight_hh", {g, s}, ParamRole::kWeight);
      if (options.bias) {
        cell.b_ih = param("bias_ih", {g}, ParamRole::kBias);
        cell.b_hh = param("bias_hh", {g}, ParamRole::kBias);
      }
      if (p > 0) cell.w_hr = param("weight_hr", {p, hidden_}, ParamRole::kWeight);
      cells_.push_back(std::move(cell));
    }
  }
  // After every parameter, as Cnn seeds its dropout layers (so the
  // parameters do not depend on dropout).
  if (options.dropout > 0) {
    dropout_ = register_module(
        "dropout",
        std::make_shared<Dropout>(options.dropout, Generator::bits(gen.seed(), gen.advance(1))));
  }
}

std::string RNNBase::name() const {
  const RNNOptions& o = options_;
  return std::string(kind_) + "(" + std::to_string(in_) + ", " + std::to_string(hidden_) +
         (o.proj_size > 0 ? ", proj_size=" + std::to_string(o.proj_size) : "") +
         (num_layers_ > 1 ? ", num_layers=" + std::to_string(num_layers_) : "") +
         (o.bias ? "" : ", bias=false") + (o.batch_first ? ", batch_first=true" : "") +
         (o.dropout > 0 ? ", dropout=" + format_number(o.dropout) : "") +
         (o.bidirectional ? ", bidirectional=true" : "") + ")";
}

Tensor RNNBase::time_major(const Tensor& x, bool& batched) const {
  if (!x.defined()) throw ValueError(name() + ": undefined input");
  const std::string layout = options_.batch_first ? "(N, T, " : "(T, N, ";
  if ((x.dim() != 2 && x.dim() != 3) || x.shape().back() != in_) {
    throw_shape_error(
        name(),
        "input must be " + layout + std::to_string(in_) + ") or (T, " + std::to_string(in_) + ")",
        "input", x.shape());
  }
  const DType dtype = cells_[0].w_ih.dtype();
  if (x.dtype() != dtype) {
    throw_dtype_error(name(), "input must have the parameters' dtype", "input", x.dtype(), "weight",
                      dtype);
  }
  if (x.shape()[x.dim() - 2] == 0 || (x.dim() == 3 && x.shape()[0] == 0)) {
    throw_shape_error(name(), "the sequence and the batch must not be empty", "input", x.shape());
  }
  batched = x.dim() == 3;
  if (!batched) return unsqueeze(x, 1);
  return options_.batch_first ? transpose(x, 0, 1) : x;
}

Tensor RNNBase::initial_state(const Tensor& s, const char* what, std::size_t size, bool batched,
                              std::size_t n) const {
  const std::size_t rows = directions() * num_layers_;
  const DType dtype = cells_[0].w_ih.dtype();
  if (!s.defined()) return Tensor(Array::zeros({rows, n, size}, dtype));
  const Shape want = batched ? Shape{rows, n, size} : Shape{rows, size};
  if (s.shape() != want) {
    const std::string form =
        std::string(options_.bidirectional ? "(2 * num_layers" : "(num_layers") + ", N, " +
        (size == hidden_ ? "hidden_size)" : "proj_size)");
    throw_shape_error(name(), std::string(what) + " must be " + form + " for this input", what,
                      s.shape(), "expected", want);
  }
  if (s.dtype() != dtype) {
    throw_dtype_error(name(), std::string(what) + " must have the parameters' dtype", what,
                      s.dtype(), "weight", dtype);
  }
  return batched ? s : unsqueeze(s, 1);
}

Tensor RNNBase::caller_layout(const Tensor& y, bool batched) const {
  if (!batched) return squeeze(y, 1);
  return options_.batch_first ? transpose(y, 0, 1) : y;
}

template <class State, class Step, class H>
void RNNBase::run(std::vector<Tensor>& xs, std::vector<State>& states, Step step, H h) {
  const std::size_t n_steps = xs.size(), dirs = directions();
  for (std::size_t l = 0; l < num_layers_; ++l) {
    if (l > 0 && dropout_ && is_training()) {
      // The previous layer's output, step by step: the same masks as one
      // draw over the whole (T, N, D·S) sequence (counters in that order).
      Generator gen = dropout_->generator();
      for (Tensor& x_t : xs) x_t = xgrad::dropout(x_t, options_.dropout, true, gen);
      dropout_->set_generator(gen);
    }
    std::vector<std::vector<Tensor>> out(dirs, std::vector<Tensor>(n_steps));
    for (std::size_t d = 0; d < dirs; ++d) {
      const Cell& cell = cells_[l * dirs + d];
      State& state = states[l * dirs + d];
      for (std::size_t k = 0; k < n_steps; ++k) {
        const std::size_t t = d == 0 ? k : n_steps - 1 - k;  // the reverse direction runs backwards
        state = step(cell, state, xs[t]);
        out[d][t] = h(state);
      }
    }
    for (std::size_t t = 0; t < n_steps; ++t) {
      xs[t] = dirs == 1 ? out[0][t] : concat({out[0][t], out[1][t]}, 1);
    }
  }
}

namespace {
// Row l of a (D·L, N, S) state (cell l: layer · D + direction), as (N, S).
Tensor layer_state(const Tensor& s, std::size_t l) {
  return squeeze(slice(s, 0, std::int64_t(l), std::int64_t(l) + 1), 0);
}

// The steps of a (T, N, F) sequence, each (N, F). Each layer then works step
// by step on the previous layer's outputs, never slicing a whole-sequence
// tensor that requires grad: each slice's gradient is a zero-padded copy of
// the whole, so slicing T steps out of a projection of the whole sequence
// would cost O(T²) in backward.
std::vector<Tensor> steps(const Tensor& seq) {
  std::vector<Tensor> out;
  for (std::size_t t = 0; t < seq.shape()[0]; ++t) out.push_back(layer_state(seq, t));
  return out;
}
}  // namespace

LSTM::LSTM(std::size_t input_size, std::size_t hidden_size, Generator& gen,
           const RNNOptions& options)
    : RNNBase("LSTM", 4, input_size, hidden_size, gen, options) {}

LSTMOutput LSTM::forward_with_state(const Tensor& x, const LSTMState& state) {
  bool batched = true;
  const Tensor seq = time_major(x, batched);  // (T, N, F)
  if (state.h.defined() != state.c.defined()) {
    throw ValueError(name() + ": give both h0 and c0, or neither");
  }
  const std::size_t n = seq.shape()[1];
  const Tensor h0 = initial_state(state.h, "h0", h_size(), batched, n);
  const Tensor c0 = initial_state(state.c, "c0", hidden_, batched, n);
  std::vector<LSTMState> states;
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    states.push_back({layer_state(h0, i), layer_state(c0, i)});
  }
  std::vector<Tensor> xs = steps(seq), h_n, c_n;
  run(
      xs, states,
      [](const Cell& p, const LSTMState& s, const Tensor& x_t) {
        return lstm_step(linear(x_t, p.w_ih, p.b_ih), s.h, s.c, p.w_hh, p.b_hh, p.w_hr);
      },
      [](const LSTMState& s) { return s.h; });
  for (const LSTMState& s : states) {
    h_n.push_back(s.h);
    c_n.push_back(s.c);
  }
  LSTMState last{stack(h_n, 0), stack(c_n, 0)};
  if (!batched) last = {squeeze(last.h, 1), squeeze(last.c, 1)};
  return {caller_layout(stack(xs, 0), batched), last};
}

Tensor LSTM::forward(const Tensor& x) { return forward_with_state(x).output; }

Tensor LSTM::forward_many(const std::vector<Tensor>& inputs) {
  if (inputs.size() == 1) return forward(inputs[0]);
  if (inputs.size() != 3) {
    throw ValueError(name() + ": takes (x) or (x, h0, c0), got " + std::to_string(inputs.size()) +
                     " inputs");
  }
  return forward_with_state(inputs[0], {inputs[1], inputs[2]}).output;
}

GRU::GRU(std::size_t input_size, std::size_t hidden_size, Generator& gen, const RNNOptions& options)
    : RNNBase("GRU", 3, input_size, hidden_size, gen, options) {}

GRUOutput GRU::forward_with_state(const Tensor& x, const Tensor& h0_in) {
  bool batched = true;
  const Tensor seq = time_major(x, batched);
  const Tensor h0 = initial_state(h0_in, "h0", hidden_, batched, seq.shape()[1]);
  std::vector<Tensor> states;
  for (std::size_t i = 0; i < cells_.size(); ++i) states.push_back(layer_state(h0, i));
  std::vector<Tensor> xs = steps(seq);
  run(
      xs, states,
      [](const Cell& p, const Tensor& h, const Tensor& x_t) {
        return gru_step(linear(x_t, p.w_ih, p.b_ih), h, p.w_hh, p.b_hh);
      },
      [](const Tensor& h) { return h; });
  Tensor last = stack(states, 0);
  if (!batched) last = squeeze(last, 1);
  return {caller_layout(stack(xs, 0), batched), last};
}

Tensor GRU::forward(const Tensor& x) { return forward_with_state(x).output; }

Tensor GRU::forward_many(const std::vector<Tensor>& inputs) {
  if (inputs.size() == 1) return forward(inputs[0]);
  if (inputs.size() != 2) {
    throw ValueError(name() + ": takes (x) or (x, h0), got " + std::to_string(inputs.size()) +
                     " inputs");
  }
  return forward_with_state(inputs[0], inputs[1]).output;
}

}  // namespace xgrad
