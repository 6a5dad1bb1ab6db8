// gradcheck: compares an op's analytic gradient (its backward, through the
// engine) with central finite differences, in float64.
//
// For a random upstream gradient u (not all ones: ones would hide a
// transposed gradient), the analytic side is the gradient of sum(u * f(x))
// from backward(u); the numeric side is, per input element k,
//   sum(u * (f(x + h e_k) - f(x - h e_k))) / 2h,   h = cbrt(eps) * max(1, |x_k|)
// with the difference taken before summing. An element passes when
// |analytic - numeric| <= atol + rtol * |numeric|.
// The report names the op, the input, the worst element and both values, so
// a failing backward can be found from the message alone.
// Works for any function of tensors: built-in ops, composites, whole models,
// and users' own ops recorded with `record`.
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

struct GradcheckOptions {
  double atol = 1e-5;
  double rtol = 1e-3;
  std::uint64_t seed = 0;        // of the upstream gradient u
  std::vector<std::size_t> wrt;  // inputs to check; empty = all
};

struct InputReport {
  std::size_t input = 0;
  Shape shape;
  double max_abs_error = 0;     // max |analytic - numeric|
  double max_rel_error = 0;     // max |analytic - numeric| / max(|numeric|, atol)
  std::size_t worst_index = 0;  // flat index of the element furthest past its tolerance
  double analytic = 0;          // values at worst_index
  double numeric = 0;
  bool pass = true;
};

struct GradcheckResult {
  std::string op;
  std::vector<InputReport> inputs;
  bool pass() const;
  // One line per failing input: "sigmoid: input 0 (2, 3): element 4: analytic 0.1, numeric 0.2 ..."
  std::string message() const;
};

// REQUIRES: f is deterministic (fix any random mask) and differentiable at
// the inputs. Inputs are copied and converted to float64.
GradcheckResult gradcheck(const std::string& op, const OpFn& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options = {});

// One set of sample inputs for an op, e.g. {"broadcast (2, 3) + (3)", {a, b}}.
struct OpSample {
  std::string label;
  std::vector<Tensor> inputs;
};

// An entry of an op list (the library's op_db, or a user's own list): how to
// call the op, sample inputs that avoid its kinks (relu at 0, pooling ties),
// which inputs are differentiable, and its tolerances.
struct OpInfo {
  using SampleFn = std::function<std::vector<OpSample>(Generator&)>;
  OpInfo(std::string name, OpFn fn, SampleFn samples, std::vector<std::size_t> wrt = {},
         double atol = 1e-7, double rtol = 1e-6)
      : name(std::move(name)),
        fn(std::move(fn)),
        samples(std::move(samples)),
        wrt(std::move(wrt)),
        atol(atol),
        rtol(rtol) {}

  std::string name;
  OpFn fn;
  SampleFn samples;              // float64 inputs
  std::vector<std::size_t> wrt;  // inputs to check; empty = all (exclude labels here)
  double atol;
  double rtol;
};

struct OpCheck {
  std::string label;
  GradcheckResult result;
};

// Gradchecks every sample of `op`, samples drawn from Generator(seed).
std::vector<OpCheck> gradcheck_op(const OpInfo& op, std::uint64_t seed = 0);

}  // namespace xgrad
