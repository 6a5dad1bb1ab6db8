// The lecture's network seen from inside: its recorded graph with every
// quantity named as on the slides (for to_dot), and its backward pass
// stepped through op by op beside the slide's δ(l) and Δ(l).   (L6-L9)
//
//   LectureActivations act = net.forward_layers(X);
//   Tensor J = lecture_cost(act, Y);                       // CE/n, no penalty
//   DotOptions o; o.names = lecture_names(net, act, J);
//   std::string dot = to_dot(J, o);
//   std::vector<LectureTraceStep> steps = trace_backward(net, X, Y);
//
// Autodiff's gradients are those of J = CE/n, so n·∂J/∂z(l) is the slide's
// δ(l) and n·∂J/∂Θ(l) its Δ(l) (docs/lecture.md, L9).
// Thread safety: none.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "models/lecture/lecture_network.h"
#include "models/lecture/reference.h"

namespace xgrad {

// J = −(1/n) Σ_i Σ_k [y log h + (1 − y) log(1 − h)] from the forward pass.
Tensor lecture_cost(const LectureActivations& act, const Tensor& Y);

// The slide's names of the pass's tensors: "a(1) = x" (drawn only when x
// requires grad), "z(l)", "a(l)", "[1 | a(l)]", the bias unit, "Θ(l) =
// theta<l>", "y", "CE", "J", with the gradient each holds after a backward
// in the lecture's terms ("grad: δ(l)/n", "grad: Δ(l)/n").
std::vector<std::pair<Tensor, std::string>> lecture_names(const LectureNetwork& net,
                                                          const LectureActivations& act,
                                                          const Tensor& J);

// One op node as the engine visits it.
struct LectureTraceStep {
  std::string op;                   // "sigmoid"
  std::string output;               // its output's lecture name: "a(3)"; "" if none
  std::vector<std::string> inputs;  // its inputs' lecture names
  Array grad_out;                   // ∂J/∂output
  std::vector<Array> grad_inputs;   // ∂J/∂input per input (undefined: none)
  // The slide's quantity this step computes, if any: "delta(3)" (at the
  // sigmoid making a(3): n ∂J/∂z(3)) or "Delta(2)" (at the product making
  // z(3): n ∂J/∂Θ(2)), the slide's formula, and both matrices.
  std::string lecture, equation;
  lecture_ref::Mat slide, autodiff;  // autodiff already times n
  double max_abs_diff = 0;
};

// Runs backward of lecture_cost on (X, Y) with BackwardOptions::on_step and
// returns the steps in the engine's order (descending creation number),
// each compared with the hand reference's δ and Δ where it makes one.
// REQUIRES: X (n, s_1) and Y (n, s_L) float64 (the reference is float64).
std::vector<LectureTraceStep> trace_backward(const LectureNetwork& net, const Tensor& X,
                                             const Tensor& Y);

}  // namespace xgrad
