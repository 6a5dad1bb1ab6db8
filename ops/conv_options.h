// Options of the sliding-window ops (conv2d, max_pool2d, avg_pool2d) and of the
// layers built on them: kernel, stride, padding and dilation, each a (height, width) pair.
#pragma once

#include <array>
#include <cstddef>

namespace xgrad {

// A (height, width) pair of sizes: kernel, stride, padding, dilation.
using Size2 = std::array<std::size_t, 2>;

struct Conv2dOptions {
  Size2 stride{1, 1}, padding{0, 0}, dilation{1, 1};  // (height, width)
  std::size_t groups = 1;

  Conv2dOptions() = default;
  // One value for both axes, e.g. Conv2dOptions(2, 1) = stride 2, padding 1.
  explicit Conv2dOptions(std::size_t stride, std::size_t padding = 0, std::size_t dilation = 1,
                         std::size_t groups = 1)
      : stride{stride, stride},
        padding{padding, padding},
        dilation{dilation, dilation},
        groups(groups) {}
  // Per axis (height, width), e.g. Conv2dOptions::axes({2, 1}, {0, 1}).
  static Conv2dOptions axes(Size2 stride, Size2 padding = {0, 0}, Size2 dilation = {1, 1},
                            std::size_t groups = 1) {
    Conv2dOptions o;
    o.stride = stride;
    o.padding = padding;
    o.dilation = dilation;
    o.groups = groups;
    return o;
  }
};

// Pooling windows (max_pool2d, avg_pool2d): kernel, stride (0 = the kernel's
// size, i.e. windows side by side) and zero padding, each (height, width).
struct Pool2dOptions {
  Size2 kernel, stride{0, 0}, padding{0, 0};

  // One value for both axes, e.g. Pool2dOptions(2) = 2x2 windows, stride 2.
  explicit Pool2dOptions(std::size_t kernel, std::size_t stride = 0, std::size_t padding = 0)
      : kernel{kernel, kernel}, stride{stride, stride}, padding{padding, padding} {}
  // Per axis, e.g. Pool2dOptions::axes({3, 2}, {2, 1}).
  static Pool2dOptions axes(Size2 kernel, Size2 stride = {0, 0}, Size2 padding = {0, 0}) {
    Pool2dOptions o(1);
    o.kernel = kernel;
    o.stride = stride;
    o.padding = padding;
    return o;
  }
  Size2 effective_stride() const {
    return {stride[0] == 0 ? kernel[0] : stride[0], stride[1] == 0 ? kernel[1] : stride[1]};
  }
};

}  // namespace xgrad
