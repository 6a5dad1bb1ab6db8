// gradcheck and gradgradcheck: compare an op's analytic gradients (its
// backward, through the engine) with central finite differences, in float64.
//
// For random upstream gradients u (not all ones: ones would hide a
// transposed gradient), the analytic side is the gradient of sum(u * f(x))
// from backward(u); the numeric side is, per input element k,
//   sum(u * (f(x + h e_k) - f(x - h e_k))) / 2h,   h = cbrt(eps) * max(1, |x_k|)
// with the difference taken before summing. An element passes when
// |analytic - numeric| <= atol + rtol * |numeric|.
// gradgradcheck applies the same check to the function
//   (x, u) -> grad(f(x), x, u, create_graph = true)
// i.e. central differences of the analytic gradient against the
// second-order analytic result (with u checked too, as PyTorch does).
// The report names the op, the input, the multi-index of the element with
// the largest error and both values there, so a failing backward can be
// found from the message alone.
// Works for any function of tensors: built-in ops, composites, whole models,
// and users' own ops recorded with `record`. int64 inputs (labels) are
// passed through and never differentiated.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "framework/generator.h"
#include "framework/tensor.h"

namespace xgrad {

using OpFn = std::function<Tensor(const std::vector<Tensor>&)>;
// A function with several outputs (gradgradcheck checks one of these).
using MultiFn = std::function<std::vector<Tensor>(const std::vector<Tensor>&)>;

// The one set of default tolerances, for float64: strict enough that a
// backward 0.01% wrong fails. Looser only per op, with the reason written
// beside it (op_db).
inline constexpr double kGradcheckAtol = 1e-7;
inline constexpr double kGradcheckRtol = 1e-6;

struct GradcheckOptions {
  double atol = kGradcheckAtol;
  double rtol = kGradcheckRtol;
  std::uint64_t seed = 0;        // of the upstream gradients u
  std::vector<std::size_t> wrt;  // inputs to check; empty = all floating-point ones
};

struct InputReport {
  std::size_t input = 0;
  Shape shape;
  double max_abs_error = 0;           // max |analytic - numeric|
  double max_rel_error = 0;           // max |analytic - numeric| / max(|numeric|, atol)
  std::vector<std::size_t> worst;     // multi-index of the element with the largest error
  double analytic = 0;                // values there
  double numeric = 0;
  bool pass = true;
};

struct GradcheckResult {
  std::string op;
  std::vector<InputReport> inputs;
  bool pass() const;
  // One line per failing input:
  // "sigmoid: input 0 (2, 3): element (1, 0): analytic 0.1, numeric 0.2 (max abs error ...)"
  std::string message() const;
};

// REQUIRES: f is deterministic (fix any random mask) and differentiable at
// the inputs. Floating-point inputs are copied and converted to float64.
GradcheckResult gradcheck(const std::string& op, const OpFn& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options = {});
GradcheckResult gradcheck(const std::string& op, const MultiFn& f,
                          const std::vector<Tensor>& inputs, const GradcheckOptions& options = {});

// Second order: gradcheck of (x, u) -> grad(f(x), x, u, create_graph). The
// report lists the inputs x (as 0..n-1) and then the upstream gradient u
// (as input n).
GradcheckResult gradgradcheck(const std::string& op, const OpFn& f,
                              const std::vector<Tensor>& inputs,
                              const GradcheckOptions& options = {});

// One set of sample inputs for an op, e.g. {"broadcast (2, 3) + (3)", {a, b}}.
struct OpSample {
  std::string label;
  std::vector<Tensor> inputs;
};

// An entry of an op list (the library's op_db, or a user's own list): how to
// call the op, sample inputs that avoid its kinks (relu at 0, pooling ties),
// which inputs are differentiable, and its tolerances. `not_twice_differentiable`
// holds the reason when the op has no usable second derivative (empty: it has).
struct OpInfo {
  using SampleFn = std::function<std::vector<OpSample>(Generator&)>;
  OpInfo(std::string name, OpFn fn, SampleFn samples, std::vector<std::size_t> wrt = {},
         double atol = kGradcheckAtol, double rtol = kGradcheckRtol)
      : name(std::move(name)),
        fn(std::move(fn)),
        samples(std::move(samples)),
        wrt(std::move(wrt)),
        atol(atol),
        rtol(rtol) {}

  std::string name;
  OpFn fn;
  SampleFn samples;              // float64 inputs (int64 for labels and indices)
  std::vector<std::size_t> wrt;  // inputs to check; empty = all floating-point ones
  double atol;
  double rtol;
  std::string loose_because;             // why atol/rtol exceed the defaults, if they do
  std::string not_twice_differentiable;  // why there is no second-order check, if there is none
};

struct OpCheck {
  std::string label;
  GradcheckResult result;
};

// Gradchecks every sample of `op` (order 1) or gradgradchecks it (order 2),
// samples drawn from Generator(seed).
std::vector<OpCheck> gradcheck_op(const OpInfo& op, std::uint64_t seed = 0, int order = 1);

}  // namespace xgrad
