// NaN propagates through every op of op_db (PyTorch's behaviour): a NaN put
// into any one element of any floating-point input makes the output hold a
// NaN, or the op throws an xgrad error (e.g. a class index that is NaN).
// The exceptions, each with its reason:
//   - ops that read only some elements of an input (slicing, indexing,
//     strided windows, where's unselected side, the gradient relu_backward
//     masks out, as PyTorch's threshold_backward): a NaN in an element they do
//     not read leaves the output unchanged; one they read must give NaN;
//   - mask inputs: the condition of where (NaN is nonzero, so true) and the
//     saved output of relu_backward (PyTorch's threshold_backward: a NaN
//     output lets the gradient through), and the x of the max-pooling
//     gradients (it only decides where the gradient goes).
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <utility>

#include "framework/grad_mode.h"
#include "ops/op_db.h"

namespace bdata = boost::unit_test::data;
using namespace xgrad;

namespace {

// Ops that may leave an element unread (unchanged output is fine there).
bool reads_a_subset(const std::string& op) {
  static const std::set<std::string> names = {"slice",
                                              "slice_last_axis",
                                              "slice_rows",
                                              "slice_negative_bounds",
                                              "slice_backward",
                                              "index_select",
                                              "index_select_rows",
                                              "index_select_backward",
                                              "gather",
                                              "gather_dim0",
                                              "scatter_add",
                                              "embedding",
                                              "embedding_padding_idx",
                                              "embedding_backward",
                                              "embedding_backward_padding_idx",
                                              "where",
                                              "conv2d_stride2_pad1",
                                              "conv2d_rect_stride_pad",
                                              "conv2d_dilation2",
                                              "max_pool2d",
                                              "max_pool2d_backward",
                                              "max_pool2d_select",
                                              "avg_pool2d",
                                              "avg_pool2d_backward",
                                              "relu_backward"};
  return names.count(op) > 0 || op.rfind("max_pool2d", 0) == 0 || op.rfind("avg_pool2d", 0) == 0;
}

// (op, input) pairs whose input is a mask: anything goes.
bool is_mask_input(const std::string& op, std::size_t input) {
  static const std::set<std::pair<std::string, std::size_t>> masks = {
      {"where", 0}, {"relu_backward", 1}, {"max_pool2d_backward", 0}, {"max_pool2d_select", 0}};
  return masks.count({op, input}) > 0;
}

bool has_nan(const Array& a) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a.at(i))) return true;
  }
  return false;
}

std::vector<std::string> op_names() {
  std::vector<std::string> names;
  for (const OpInfo& op : op_db()) names.push_back(op.name);
  return names;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ops_nan_propagation_tests)

BOOST_DATA_TEST_CASE(nan_reaches_the_output_of_every_op, bdata::make(op_names()), name) {
  for (const OpInfo& op : op_db()) {
    if (op.name != name) continue;
    Generator gen(13);
    for (const OpSample& sample : op.samples(gen)) {
      NoGradGuard no_grad;
      const Array clean = op.fn(sample.inputs).value();
      for (std::size_t i = 0; i < sample.inputs.size(); ++i) {
        if (!sample.inputs[i].defined() || !is_floating(sample.inputs[i].dtype()) ||
            is_mask_input(name, i)) {
          continue;
        }
        for (std::size_t k = 0; k < sample.inputs[i].size(); ++k) {
          std::vector<Tensor> in = sample.inputs;
          Array v = in[i].value();
          v.set(k, std::numeric_limits<double>::quiet_NaN());
          in[i] = Tensor(std::move(v));
          BOOST_TEST_CONTEXT(name << " " << sample.label << ": NaN at element " << k << " of input "
                                  << i) {
            try {
              const Array y = op.fn(in).value();
              const bool ok = has_nan(y) || (reads_a_subset(name) && max_abs_diff(y, clean) == 0);
              BOOST_TEST(ok, "the output holds no NaN");
            } catch (const Error&) {
              // an xgrad error is an acceptable answer to a NaN
            }
          }
        }
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
