// Recurrent layers with PyTorch's equations, gate order, parameter names,
// shapes and initialisation: LSTMCell and GRUCell (one time step), LSTM and
// GRU (a whole sequence, stacked num_layers deep).
//
// LSTM (gates in PyTorch's order i, f, g, o: rows [0, H), [H, 2H), ...):
//   i = σ(W_ii x + b_ii + W_hi h + b_hi)      f = σ(W_if x + b_if + W_hf h + b_hf)
//   g = tanh(W_ig x + b_ig + W_hg h + b_hg)   o = σ(W_io x + b_io + W_ho h + b_ho)
//   c' = f ⊙ c + i ⊙ g                        h' = o ⊙ tanh(c')
// GRU (gates r, z, n):
//   r = σ(W_ir x + b_ir + W_hr h + b_hr)      z = σ(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
//   h' = (1 - z) ⊙ n + z ⊙ h
//
// LSTM with proj_size P > 0 (PyTorch's projections, Sak et al. 2014):
//   h' = W_hr (o ⊙ tanh(c')), so h has P entries and c keeps H (this W_hr
//   is weight_hr, not the GRU's reset-gate block of weight_hh above).
//
// Parameters (H = hidden_size, G = 4 for LSTM, 3 for GRU; biases only with
// bias=true; S = proj_size if > 0, else H; D = 2 if bidirectional, else 1):
//   cells:  weight_ih (G·H, input_size) [weight], weight_hh (G·H, H) [weight],
//           bias_ih (G·H) [bias], bias_hh (G·H) [bias]
//   layers: for each layer k and direction (forward, then reverse with the
//           suffix "_reverse"): weight_ih_l{k} (G·H, input_size for k = 0,
//           else D·S), weight_hh_l{k} (G·H, S), bias_ih_l{k} (G·H),
//           bias_hh_l{k} (G·H), weight_hr_l{k} (P, H) [weight] (proj_size > 0)
// Initialisation as PyTorch's: every parameter ~ U(-1/√H, 1/√H), drawn in
// the order above.
//
// Shapes (N batch, T time, F input_size, L num_layers; an omitted batch
// dimension is accepted as PyTorch 1.13 does, and omitted from the results):
//   LSTMCell / GRUCell: x (N, F) or (F); h, c (N, H) or (H) -> (N, H) or (H)
//   LSTM / GRU: x (T, N, F), or (N, T, F) with batch_first, or (T, F);
//     h0 (D·L, N, S), c0 (D·L, N, H), or without N; output (T, N, D·S)
//     (batch_first: (N, T, D·S)): the last layer's h at every step, with
//     bidirectional [forward h_t, reverse h_t] on the last axis; h_n (D·L, N, S),
//     c_n (D·L, N, H): each direction's state after its last step (the
//     reverse direction runs from t = T-1 down to 0), ordered layer 0
//     forward, layer 0 reverse, layer 1 forward, ... (batch_first does not
//     apply to the states, as PyTorch.)
// An undefined initial state means zeros.
//
// Options (RNNOptions, libtorch's LSTMOptions/GRUOptions as one aggregate):
//   LSTM lstm(10, 20, gen, {.num_layers = 2, .dropout = 0.5, .bidirectional = true});
//   dropout p in [0, 1): inverted dropout (ops/dropout.h) on the output of
//     every layer but the last, in training mode only (eval() turns it off),
//     as PyTorch's. PyTorch also accepts p = 1 (every unit of the next
//     layer's input dropped); xgrad rejects it, as Cnn does. With
//     num_layers = 1 it has no effect (PyTorch warns; xgrad accepts it
//     silently). Masks are drawn step by step in time-major order (t, n,
//     unit) whatever batch_first, from a generator the layer owns: a child
//     Dropout module named "dropout" (present only when p > 0), seeded from
//     `gen` after every parameter is drawn, as Cnn's dropout layers; its
//     state is the buffer "dropout.rng_state" in state_dict(), so a restored
//     layer draws the very masks it would have drawn.
//   proj_size: LSTM only (GRU: ValueError, as PyTorch); < hidden_size.
//
// Results: a Module's forward returns one Tensor, so
//   forward(x) returns h' (cells) or the output sequence (LSTM, GRU), from
//     a zero initial state;
//   forward_many({x, h}) (GRUCell, GRU) and forward_many({x, h, c})
//     (LSTMCell, LSTM) take the initial state too: cell(x, h), lstm(x, h0, c0);
//   forward_with_state(x, state) returns everything, as libtorch's tuples:
//     LSTMCell -> LSTMState{h', c'}; GRUCell: forward(x, h) -> h';
//     LSTM -> LSTMOutput{output, {h_n, c_n}}; GRU -> GRUOutput{output, h_n}.
//   auto [out, state] = lstm.forward_with_state(x);   // state.h, state.c
// Errors: ShapeError naming the layer and the shapes for a wrong input or
// state; DTypeError for a dtype other than the parameters'; ValueError for
// bad options (naming the layer and the value).
#pragma once

#include <memory>
#include <string>
#include <type_traits>

#include "framework/error.h"
#include "framework/generator.h"
#include "models/module.h"

namespace xgrad {

struct LSTMState {
  Tensor h;  // cells: (N, H); LSTM: (D·L, N, S), c (D·L, N, H)
  Tensor c;
};

struct LSTMOutput {
  Tensor output;
  LSTMState state;  // (h_n, c_n)
};

struct GRUOutput {
  Tensor output;
  Tensor h_n;
};

// The common part of LSTMCell and GRUCell: sizes, the four parameters
// (gates · hidden_size rows each) and name().
class RNNCellBase : public Module {
 public:
  std::string name() const override;
  std::size_t input_size() const { return in_; }
  std::size_t hidden_size() const { return hidden_; }

 protected:
  RNNCellBase(const char* kind, std::size_t gates, std::size_t input_size, std::size_t hidden_size,
              Generator& gen, bool bias, DType dtype);

  const char* kind_;
  std::size_t in_, hidden_;
  Tensor w_ih_, w_hh_, b_ih_, b_hh_;
};

class LSTMCell : public RNNCellBase {
 public:
  LSTMCell(std::size_t input_size, std::size_t hidden_size, Generator& gen, bool bias = true,
           DType dtype = kFloat32);

  // state.h, state.c: both given or both undefined (zeros).
  LSTMState forward_with_state(const Tensor& x, const LSTMState& state = {});
  Tensor forward(const Tensor& x) override;                         // h'
  Tensor forward_many(const std::vector<Tensor>& inputs) override;  // (x) or (x, h, c) -> h'
};

class GRUCell : public RNNCellBase {
 public:
  GRUCell(std::size_t input_size, std::size_t hidden_size, Generator& gen, bool bias = true,
          DType dtype = kFloat32);

  // h undefined: zeros.
  Tensor forward(const Tensor& x, const Tensor& h);
  Tensor forward(const Tensor& x) override;
  Tensor forward_many(const std::vector<Tensor>& inputs) override;  // (x) or (x, h)
};

// LSTM's and GRU's options beyond the sizes (libtorch's LSTMOptions and
// GRUOptions; an aggregate, so designated initialisers work).
struct RNNOptions {
  std::size_t num_layers = 1;
  bool bias = true;
  bool batch_first = false;
  double dropout = 0;  // in [0, 1): between layers, while training
  bool bidirectional = false;
  std::size_t proj_size = 0;  // LSTM only; 0 = no projection, else < hidden_size
  DType dtype = kFloat32;
};

class Dropout;

namespace rnn_detail {
// An integer other than bool: the positional constructors' num_layers.
template <class N>
using IfCount = std::enable_if_t<std::is_integral_v<N> && !std::is_same_v<N, bool>>;
// The options of PyTorch's positional constructor arguments; a negative
// num_layers is ValueError (not a huge size).
template <class N>
RNNOptions positional(const char* kind, N num_layers, bool bias, bool batch_first, DType dtype) {
  if constexpr (std::is_signed_v<N>) {
    if (num_layers < 0) {
      throw ValueError(std::string(kind) + ": num_layers must be positive, got " +
                       std::to_string(num_layers));
    }
  }
  RNNOptions options;
  options.num_layers = std::size_t(num_layers);
  options.bias = bias;
  options.batch_first = batch_first;
  options.dtype = dtype;
  return options;
}
}  // namespace rnn_detail

// The common part of LSTM and GRU.
class RNNBase : public Module {
 public:
  // e.g. "LSTM(10, 20, proj_size=5, num_layers=2, dropout=0.5, bidirectional=true)"
  // (PyTorch's order; only the options that differ from the defaults).
  std::string name() const override;
  std::size_t input_size() const { return in_; }
  std::size_t hidden_size() const { return hidden_; }
  std::size_t num_layers() const { return num_layers_; }
  bool batch_first() const { return options_.batch_first; }
  double dropout() const { return options_.dropout; }
  bool bidirectional() const { return options_.bidirectional; }
  std::size_t proj_size() const { return options_.proj_size; }
  const RNNOptions& options() const { return options_; }

 protected:
  RNNBase(const char* kind, std::size_t gates, std::size_t input_size, std::size_t hidden_size,
          Generator& gen, const RNNOptions& options);

  // One direction of one layer; w_hr only with proj_size.
  struct Cell {
    Tensor w_ih, w_hh, b_ih, b_hh, w_hr;
  };
  std::size_t directions() const { return options_.bidirectional ? 2 : 1; }
  // The size of h: proj_size if set, else hidden_size.
  std::size_t h_size() const { return options_.proj_size > 0 ? options_.proj_size : hidden_; }
  // The input as (T, N, F) and whether it had a batch dimension.
  Tensor time_major(const Tensor& x, bool& batched) const;
  // An initial state (D·L, N, size) (or (D·L, size) unbatched) checked, as
  // (D·L, N, size); zeros if undefined.
  Tensor initial_state(const Tensor& s, const char* what, std::size_t size, bool batched,
                       std::size_t n) const;
  // Runs every layer and direction over the steps xs (each (N, F)), which
  // become the last layer's outputs (each (N, D·S)). states[i] is the
  // initial state of cell i (layer · D + direction) and becomes its final
  // one; step(cell, state, x_t) returns the next state, h(state) its output.
  template <class State, class Step, class H>
  void run(std::vector<Tensor>& xs, std::vector<State>& states, Step step, H h);
  // Output (T, N, D·S) back to the caller's layout.
  Tensor caller_layout(const Tensor& y, bool batched) const;

  const char* kind_;
  std::size_t in_, hidden_, num_layers_;
  RNNOptions options_;
  std::vector<Cell> cells_;           // layer 0 forward, layer 0 reverse, layer 1 forward, ...
  std::shared_ptr<Dropout> dropout_;  // between layers; null when options_.dropout == 0
};

class LSTM : public RNNBase {
 public:
  LSTM(std::size_t input_size, std::size_t hidden_size, Generator& gen,
       const RNNOptions& options = {});
  // PyTorch's positional order (num_layers an integer, so LSTM(in, h, gen, {})
  // is the options, not num_layers 0).
  template <class Layers, class = rnn_detail::IfCount<Layers>>
  LSTM(std::size_t input_size, std::size_t hidden_size, Generator& gen, Layers num_layers,
       bool bias = true, bool batch_first = false, DType dtype = kFloat32)
      : LSTM(input_size, hidden_size, gen,
             rnn_detail::positional("LSTM", num_layers, bias, batch_first, dtype)) {}

  // state.h (D·L, N, S), state.c (D·L, N, H): both given or both undefined (zeros).
  LSTMOutput forward_with_state(const Tensor& x, const LSTMState& state = {});
  Tensor forward(const Tensor& x) override;                         // output
  Tensor forward_many(const std::vector<Tensor>& inputs) override;  // (x) or (x, h0, c0)
};

class GRU : public RNNBase {
 public:
  // REQUIRES: options.proj_size == 0 (ValueError).
  GRU(std::size_t input_size, std::size_t hidden_size, Generator& gen,
      const RNNOptions& options = {});
  template <class Layers, class = rnn_detail::IfCount<Layers>>
  GRU(std::size_t input_size, std::size_t hidden_size, Generator& gen, Layers num_layers,
      bool bias = true, bool batch_first = false, DType dtype = kFloat32)
      : GRU(input_size, hidden_size, gen,
            rnn_detail::positional("GRU", num_layers, bias, batch_first, dtype)) {}

  // h0: (D·L, N, H) or undefined (zeros).
  GRUOutput forward_with_state(const Tensor& x, const Tensor& h0 = Tensor());
  Tensor forward(const Tensor& x) override;                         // output
  Tensor forward_many(const std::vector<Tensor>& inputs) override;  // (x) or (x, h0)
};

}  // namespace xgrad
