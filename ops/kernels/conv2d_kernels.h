// conv2d's kernels (ops/conv2d.cpp): forward, input gradient and parameter gradients over
// raw NCHW buffers; see Note [Slot GEMM] in ops/kernels/conv_kernels.h for how they run.
// Thread safety: each call parallelises inside and writes only its own outputs.
#pragma once

#include <cstddef>

#include "ops/kernels/conv_geometry.h"

namespace xgrad {

namespace kernels {

// Sizes of one conv2d call; window.channels is Cin / groups (one group's channels).
struct Conv2dShape {
  std::size_t batch = 0, in_channels = 0, out_channels = 0, groups = 1;
  WindowGeometry window;
};

// y (N, Cout, OH, OW) = conv(x, w) + b; b may be nullptr.
template <class T>
void conv2d_forward(const Conv2dShape& s, const T* x, const T* w, const T* b, T* y);
// dx (N, Cin, H, W) = the input gradient for dy.
template <class T>
void conv2d_backward_input(const Conv2dShape& s, const T* w, const T* dy, T* dx);
// dw (Cout, Cin/G, KH, KW) and db (Cout) = the parameter gradients; either may be nullptr.
template <class T>
void conv2d_backward_params(const Conv2dShape& s, const T* x, const T* dy, T* dw, T* db);

// Which kernels conv2d runs on this CPU (benchmarks name it beside their figures).
const char* conv2d_path();

}  // namespace kernels
}  // namespace xgrad
