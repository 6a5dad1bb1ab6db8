// Grad mode: whether ops record the graph on this thread.
//
// NoGradGuard turns recording off for its scope (RAII, thread-local, nests):
// evaluation, optimiser updates and finite differences run under it.
// AutoGradMode sets it either way (libtorch's name): the engine runs
// backward formulas under AutoGradMode(create_graph).
#pragma once

namespace xgrad {

bool is_grad_enabled();

class AutoGradMode {
 public:
  explicit AutoGradMode(bool enabled);
  ~AutoGradMode();
  AutoGradMode(const AutoGradMode&) = delete;
  AutoGradMode& operator=(const AutoGradMode&) = delete;

 private:
  bool previous_;
};

class NoGradGuard : public AutoGradMode {
 public:
  NoGradGuard() : AutoGradMode(false) {}
};

}  // namespace xgrad
