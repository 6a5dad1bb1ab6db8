#include "models/layers/rnn.h"

#include <cmath>

#include "ops/arithmetic.h"
#include "ops/linear.h"
#include "ops/sigmoid.h"
#include "ops/slice.h"
#include "ops/squeeze.h"
#include "ops/tanh.h"
#include "ops/transpose.h"

namespace xgrad {

namespace {

// One time step from the input's gate pre-activations gx = W_ih x + b_ih.
LSTMState lstm_step(const Tensor& gx, const Tensor& h, const Tensor& c, const Tensor& w_hh,
                    const Tensor& b_hh) {
  const std::vector<Tensor> g = chunk(gx + linear(h, w_hh, b_hh), 4, 1);  // i, f, g, o
  const Tensor c_next = sigmoid(g[1]) * c + sigmoid(g[0]) * tanh(g[2]);
  return {sigmoid(g[3]) * tanh(c_next), c_next};
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
                 std::size_t hidden_size, Generator& gen, std::size_t num_layers, bool bias,
                 bool batch_first, DType dtype)
    : kind_(kind), in_(input_size), hidden_(hidden_size), batch_first_(batch_first) {
  check_sizes(kind, in_, hidden_);
  if (num_layers == 0) throw ValueError(std::string(kind) + ": num_layers must be positive");
  const std::size_t g = gates * hidden_;
  for (std::size_t l = 0; l < num_layers; ++l) {
    const std::string s = "_l" + std::to_string(l);
    const std::size_t in = l == 0 ? in_ : hidden_;
    Layer layer;
    layer.w_ih = register_parameter("weight_ih" + s, uniform_param(gen, {g, in}, hidden_, dtype),
                                    ParamRole::kWeight);
    layer.w_hh = register_parameter(
        "weight_hh" + s, uniform_param(gen, {g, hidden_}, hidden_, dtype), ParamRole::kWeight);
    if (bias) {
      layer.b_ih = register_parameter("bias_ih" + s, uniform_param(gen, {g}, hidden_, dtype),
                                      ParamRole::kBias);
      layer.b_hh = register_parameter("bias_hh" + s, uniform_param(gen, {g}, hidden_, dtype),
                                      ParamRole::kBias);
    }
    layers_.push_back(std::move(layer));
  }
}

std::string RNNBase::name() const {
  return std::string(kind_) + "(" + std::to_string(in_) + ", " + std::to_string(hidden_) +
         (layers_.size() > 1 ? ", num_layers=" + std::to_string(layers_.size()) : "") +
         (layers_[0].b_ih.defined() ? "" : ", bias=false") +
         (batch_first_ ? ", batch_first=true" : "") + ")";
}

Tensor RNNBase::time_major(const Tensor& x, bool& batched) const {
  if (!x.defined()) throw ValueError(name() + ": undefined input");
  const std::string layout = batch_first_ ? "(N, T, " : "(T, N, ";
  if ((x.dim() != 2 && x.dim() != 3) || x.shape().back() != in_) {
    throw_shape_error(
        name(),
        "input must be " + layout + std::to_string(in_) + ") or (T, " + std::to_string(in_) + ")",
        "input", x.shape());
  }
  if (x.dtype() != layers_[0].w_ih.dtype()) {
    throw_dtype_error(name(), "input must have the parameters' dtype", "input", x.dtype(), "weight",
                      layers_[0].w_ih.dtype());
  }
  if (x.shape()[x.dim() - 2] == 0 || (x.dim() == 3 && x.shape()[0] == 0)) {
    throw_shape_error(name(), "the sequence and the batch must not be empty", "input", x.shape());
  }
  batched = x.dim() == 3;
  if (!batched) return unsqueeze(x, 1);
  return batch_first_ ? transpose(x, 0, 1) : x;
}

Tensor RNNBase::initial_state(const Tensor& s, const char* what, bool batched, std::size_t n,
                              DType dtype) const {
  const std::size_t l = layers_.size();
  if (!s.defined()) return Tensor(Array::zeros({l, n, hidden_}, dtype));
  const Shape want = batched ? Shape{l, n, hidden_} : Shape{l, hidden_};
  if (s.shape() != want) {
    throw_shape_error(name(),
                      std::string(what) + " must be (num_layers, N, hidden_size) for this input",
                      what, s.shape(), "expected", want);
  }
  if (s.dtype() != dtype) {
    throw_dtype_error(name(), std::string(what) + " must have the parameters' dtype", what,
                      s.dtype(), "weight", dtype);
  }
  return batched ? s : unsqueeze(s, 1);
}

Tensor RNNBase::caller_layout(const Tensor& y, bool batched) const {
  if (!batched) return squeeze(y, 1);
  return batch_first_ ? transpose(y, 0, 1) : y;
}

namespace {
// Layer l's slice of an (L, N, H) state, as (N, H).
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

LSTMOutput LSTM::forward_with_state(const Tensor& x, const LSTMState& state) {
  bool batched = true;
  const Tensor seq = time_major(x, batched);  // (T, N, F)
  if (state.h.defined() != state.c.defined()) {
    throw ValueError(name() + ": give both h0 and c0, or neither");
  }
  const std::size_t n = seq.shape()[1];
  const DType dtype = layers_[0].w_ih.dtype();
  const Tensor h0 = initial_state(state.h, "h0", batched, n, dtype);
  const Tensor c0 = initial_state(state.c, "c0", batched, n, dtype);
  std::vector<Tensor> xs = steps(seq), h_n, c_n;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const Layer& p = layers_[l];
    LSTMState s{layer_state(h0, l), layer_state(c0, l)};
    for (Tensor& x_t : xs) {
      s = lstm_step(linear(x_t, p.w_ih, p.b_ih), s.h, s.c, p.w_hh, p.b_hh);
      x_t = s.h;  // the next layer's input at this step
    }
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

GRUOutput GRU::forward_with_state(const Tensor& x, const Tensor& h0_in) {
  bool batched = true;
  const Tensor seq = time_major(x, batched);
  const Tensor h0 = initial_state(h0_in, "h0", batched, seq.shape()[1], layers_[0].w_ih.dtype());
  std::vector<Tensor> xs = steps(seq), h_n;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const Layer& p = layers_[l];
    Tensor h = layer_state(h0, l);
    for (Tensor& x_t : xs) {
      h = gru_step(linear(x_t, p.w_ih, p.b_ih), h, p.w_hh, p.b_hh);
      x_t = h;
    }
    h_n.push_back(h);
  }
  Tensor last = stack(h_n, 0);
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
