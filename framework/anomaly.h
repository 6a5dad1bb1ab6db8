// Anomaly mode (PyTorch's detect_anomaly): find where a NaN or infinity
// first appears.
//
//   { AnomalyMode anomaly;  ...forward...; loss.backward(); }
//   or run the program with XGRAD_DETECT_ANOMALY=1
//
// While it is on (a thread-local switch, like grad mode), every op records
// the call stack where it was recorded, checks its forward output, and the
// engine checks every gradient a backward function returns. The first
// non-finite value is a NumericError naming the op, the output or the input
// whose gradient it is, and where in the user's code the op was recorded
// ("recorded at: main (train.cpp:42)"; file and line need line tables in
// the user's program, e.g. -g1; otherwise function names only).
// Off, its cost is one thread-local read per op; on, a stack capture (~1 µs)
// and a scan of each output and gradient: `XGRAD_DETECT_ANOMALY=1 xgrad-bench
// --only W2` measured the 3-3-1 step (15 ops) 1.6-2.3x slower than off.
#pragma once

#include <string>

#include "framework/node.h"

namespace xgrad {

bool is_anomaly_enabled();

class AnomalyMode {
 public:
  explicit AnomalyMode(bool enabled = true);
  ~AnomalyMode();
  AnomalyMode(const AnomalyMode&) = delete;
  AnomalyMode& operator=(const AnomalyMode&) = delete;

 private:
  bool previous_;
};

namespace detail {
// Called by record() in anomaly mode: stores the call stack in the node and
// throws NumericError if the op's output is not finite.
void on_record_anomaly(Node& node);
// Called by the engine in anomaly mode: NumericError if a gradient for an
// input is not finite.
void check_backward_finite(const Node& node, const Grads& grads);
// "recorded at: f (file:line) <- g (file:line)" from the node's stored call
// stack; empty if none was stored.
std::string recorded_at(const Node& node);
}  // namespace detail

}  // namespace xgrad
