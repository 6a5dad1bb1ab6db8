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
// Parameters (H = hidden_size, G = 4 for LSTM, 3 for GRU; biases only with bias=true):
//   cells:  weight_ih (G·H, input_size) [weight], weight_hh (G·H, H) [weight],
//           bias_ih (G·H) [bias], bias_hh (G·H) [bias]
//   layers: weight_ih_l0 (G·H, input_size), weight_hh_l0 (G·H, H), bias_ih_l0,
//           bias_hh_l0, then weight_ih_l1 (G·H, H), ... for each of num_layers
// Initialisation as PyTorch's: every parameter ~ U(-1/√H, 1/√H), drawn in
// the order above.
//
// Shapes (N batch, T time, F input_size, L num_layers; an omitted batch
// dimension is accepted as PyTorch 1.13 does, and omitted from the results):
//   LSTMCell / GRUCell: x (N, F) or (F); h, c (N, H) or (H) -> (N, H) or (H)
//   LSTM / GRU: x (T, N, F), or (N, T, F) with batch_first, or (T, F);
//     h0, c0 (L, N, H) or (L, H); output (T, N, H) (batch_first: (N, T, H)):
//     the last layer's h at every step; h_n, c_n (L, N, H): each layer's
//     state after the last step. (batch_first does not apply to the states,
//     as PyTorch.)
// An undefined initial state means zeros.
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
// Not offered: dropout between layers,
// bidirectional, proj_size (PyTorch's other options).
// Errors: ShapeError naming the layer and the shapes for a wrong input or
// state; DTypeError for a dtype other than the parameters'.
#pragma once

#include "framework/generator.h"
#include "models/module.h"

namespace xgrad {

struct LSTMState {
  Tensor h;  // cells: (N, H); LSTM: (L, N, H)
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

// The common part of LSTM and GRU.
class RNNBase : public Module {
 public:
  std::string name() const override;
  std::size_t input_size() const { return in_; }
  std::size_t hidden_size() const { return hidden_; }
  std::size_t num_layers() const { return layers_.size(); }
  bool batch_first() const { return batch_first_; }

 protected:
  RNNBase(const char* kind, std::size_t gates, std::size_t input_size, std::size_t hidden_size,
          Generator& gen, std::size_t num_layers, bool bias, bool batch_first, DType dtype);

  struct Layer {
    Tensor w_ih, w_hh, b_ih, b_hh;
  };
  // The input as (T, N, F) and whether it had a batch dimension.
  Tensor time_major(const Tensor& x, bool& batched) const;
  // An initial state (L, N, H) (or (L, H) unbatched) checked, as (L, N, H).
  Tensor initial_state(const Tensor& s, const char* what, bool batched, std::size_t n,
                       DType dtype) const;
  // Output (T, N, H) back to the caller's layout.
  Tensor caller_layout(const Tensor& y, bool batched) const;

  const char* kind_;
  std::size_t in_, hidden_;
  bool batch_first_;
  std::vector<Layer> layers_;
};

class LSTM : public RNNBase {
 public:
  LSTM(std::size_t input_size, std::size_t hidden_size, Generator& gen, std::size_t num_layers = 1,
       bool bias = true, bool batch_first = false, DType dtype = kFloat32)
      : RNNBase("LSTM", 4, input_size, hidden_size, gen, num_layers, bias, batch_first, dtype) {}

  // state.h, state.c: (L, N, H), both given or both undefined (zeros).
  LSTMOutput forward_with_state(const Tensor& x, const LSTMState& state = {});
  Tensor forward(const Tensor& x) override;                         // output
  Tensor forward_many(const std::vector<Tensor>& inputs) override;  // (x) or (x, h0, c0)
};

class GRU : public RNNBase {
 public:
  GRU(std::size_t input_size, std::size_t hidden_size, Generator& gen, std::size_t num_layers = 1,
      bool bias = true, bool batch_first = false, DType dtype = kFloat32)
      : RNNBase("GRU", 3, input_size, hidden_size, gen, num_layers, bias, batch_first, dtype) {}

  // h0: (L, N, H) or undefined (zeros).
  GRUOutput forward_with_state(const Tensor& x, const Tensor& h0 = Tensor());
  Tensor forward(const Tensor& x) override;                         // output
  Tensor forward_many(const std::vector<Tensor>& inputs) override;  // (x) or (x, h0)
};

}  // namespace xgrad
