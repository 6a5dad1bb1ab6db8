// op_db entries: conv2d (ops/conv2d.h), one entry per option set, conv_transpose2d and
// upsample_nearest2d; the samples cover both
// kernel paths (stride 1 with rows of >= 4 doubles: slot kernels; otherwise im2col + BLAS).
#include "ops/conv2d.h"
#include "ops/conv_transpose2d.h"
#include "ops/op_db.h"
#include "ops/op_db/samples.h"
#include "ops/upsample.h"

namespace xgrad {

namespace {

// x (N, Cin, H, W), W (Cout, Cin/groups, KH, KW), b (Cout)
OpSample conv_sample(const std::string& label, const Shape& x, const Shape& w, Generator& g,
                     bool bias = true) {
  OpSample s{label, {samples::normal(x, g), samples::normal(w, g)}};
  if (bias) s.inputs.push_back(samples::normal({w[0]}, g));
  return s;
}

void add_conv(OpList& ops, const std::string& name, Conv2dOptions o,
              std::vector<std::pair<Shape, Shape>> shapes) {
  ops.push_back({name, [o](const std::vector<Tensor>& x) { return conv2d(x[0], x[1], x[2], o); },
                 [shapes](Generator& g) {
                   std::vector<OpSample> out;
                   for (const auto& [x, w] : shapes) {
                     out.push_back(conv_sample(format_shape(x) + " W " + format_shape(w), x, w, g));
                   }
                   return out;
                 }});
}

}  // namespace

void add_conv_ops(OpList& ops) {
  add_conv(ops, "conv2d", Conv2dOptions(),
           {{{2, 2, 5, 7}, {3, 2, 3, 3}},    // slot kernels, row tail overlaps
            {{1, 3, 6, 9}, {2, 3, 2, 4}},    // rectangular kernel
            {{2, 1, 4, 3}, {2, 1, 2, 2}}});  // narrow output: im2col + BLAS
  add_conv(ops, "conv2d_stride2_pad1", Conv2dOptions(2, 1),
           {{{2, 2, 7, 8}, {3, 2, 3, 3}}, {{1, 2, 6, 5}, {2, 2, 3, 2}}});
  add_conv(ops, "conv2d_pad1", Conv2dOptions(1, 1), {{{2, 2, 5, 6}, {3, 2, 3, 3}}});
  add_conv(ops, "conv2d_dilation2", Conv2dOptions(1, 1, 2),
           {{{2, 2, 7, 8}, {3, 2, 3, 3}}, {{1, 1, 8, 9}, {2, 1, 2, 3}}});
  add_conv(ops, "conv2d_groups2", Conv2dOptions(1, 0, 1, 2), {{{2, 4, 5, 7}, {6, 2, 3, 3}}});
  add_conv(ops, "conv2d_rect_stride_pad", Conv2dOptions::axes({2, 1}, {1, 0}, {1, 2}),
           {{{2, 2, 7, 9}, {3, 2, 3, 2}}});
  ops.push_back(
      {"conv2d_no_bias", [](const std::vector<Tensor>& x) { return conv2d(x[0], x[1]); },
       [](Generator& g) {
         return std::vector<OpSample>{
             conv_sample("(2, 2, 5, 7) W (3, 2, 3, 3)", {2, 2, 5, 7}, {3, 2, 3, 3}, g, false),
             conv_sample("(1, 2, 6, 6) W (2, 2, 2, 2)", {1, 2, 6, 6}, {2, 2, 2, 2}, g, false)};
       }});
  using V = std::vector<Tensor>;
  // W (Cin, Cout/groups, KH, KW): PyTorch's transposed layout.
  ops.push_back(
      {"conv_transpose2d", [](const V& x) { return conv_transpose2d(x[0], x[1], x[2]); },
       [](Generator& g) {
         OpSample s = conv_sample("(2, 3, 4, 5) W (3, 2, 3, 3)", {2, 3, 4, 5}, {3, 2, 3, 3}, g);
         s.inputs[2] = samples::normal({2}, g);  // Cout = W.shape[1]
         return std::vector<OpSample>{s};
       }});
  ops.push_back(
      {"conv_transpose2d_stride2_pad1_outpad1",
       [](const V& x) {
         return conv_transpose2d(x[0], x[1], x[2], Conv2dOptions(2, 1), {1, 1});
       },
       [](Generator& g) {
         OpSample s = conv_sample("(2, 2, 3, 4) W (2, 3, 3, 3)", {2, 2, 3, 4}, {2, 3, 3, 3}, g);
         s.inputs[2] = samples::normal({3}, g);  // Cout = W.shape[1]
         return std::vector<OpSample>{s};
       }});
  ops.push_back(
      {"conv_transpose2d_groups2_no_bias",
       [](const V& x) { return conv_transpose2d(x[0], x[1], Tensor(), Conv2dOptions(2, 0, 1, 2)); },
       [](Generator& g) {
         return std::vector<OpSample>{
             conv_sample("(1, 4, 3, 3) W (4, 1, 2, 2)", {1, 4, 3, 3}, {4, 1, 2, 2}, g, false)};
       }});
  ops.push_back(
      {"upsample_nearest2d", [](const V& x) { return upsample_nearest2d(x[0], 2); },
       [](Generator& g) {
         return std::vector<OpSample>{{"(2, 2, 3, 4) x2", {samples::normal({2, 2, 3, 4}, g)}}};
       }});
  ops.push_back(
      {"upsample_nearest2d_rect",
       [](const V& x) {
         return upsample_nearest2d(x[0], Size2{3, 2});
       },
       [](Generator& g) {
         return std::vector<OpSample>{{"(1, 2, 2, 3) x(3, 2)", {samples::normal({1, 2, 2, 3}, g)}}};
       }});
}

}  // namespace xgrad
