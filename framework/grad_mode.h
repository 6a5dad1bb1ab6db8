// Grad mode: whether ops record the graph on this thread.
//
// NoGradGuard turns recording off for its scope (RAII, thread-local, nests):
// evaluation, optimiser updates and finite differences run under it.
#pragma once

namespace xgrad {

bool is_grad_enabled();

class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

}  // namespace xgrad
