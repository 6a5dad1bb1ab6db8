// Axes: the `dim` argument of the ops that reduce over one or several axes
// (sum, mean, logsumexp, var, std), PyTorch's IntArrayRef.
//
//   sum(x, 1)            one axis
//   sum(x, {0, 2})       several
//   sum(x, {})           none (NumPy's axis=(): nothing is reduced)
//   sum(x, std::vector<int>{...}) or a std::vector<std::int64_t>
//
// Axes are std::int64_t everywhere in xgrad (also for the ops that take one
// axis: max, softmax, concat, slice, index_select, ...); a negative axis
// counts from the end (-1 is the last), in [-rank, rank).
// Thread safety: a plain value.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <type_traits>
#include <vector>

namespace xgrad {

class Axes {
 public:
  Axes() = default;
  // One axis; any integer type but bool (so that a flag is never taken for an axis).
  template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>, int> = 0>
  Axes(I axis) : v_{std::int64_t(axis)} {}                      // NOLINT: sum(x, 1)
  Axes(std::initializer_list<std::int64_t> axes) : v_(axes) {}  // NOLINT: sum(x, {0, 2})
  template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>, int> = 0>
  Axes(const std::vector<I>& axes) : v_(axes.begin(), axes.end()) {}  // NOLINT

  const std::vector<std::int64_t>& values() const { return v_; }
  std::size_t size() const { return v_.size(); }
  bool empty() const { return v_.empty(); }
  auto begin() const { return v_.begin(); }
  auto end() const { return v_.end(); }

 private:
  std::vector<std::int64_t> v_;
};

}  // namespace xgrad
