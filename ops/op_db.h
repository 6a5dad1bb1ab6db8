// op_db: the explicit list of every differentiable op in xgrad, with sample
// inputs, driving the gradient checks (the data-driven test in
// tests/ops/test_op_db.cpp and the xgrad-gradcheck tool).
//
// No static self-registration (it silently registers nothing from a static
// library): each family's entries are listed in ops/op_db/<family>.cpp and
// op_db() concatenates the families in a fixed order. A new op is not done
// until it has an entry here.
#pragma once

#include <vector>

#include "framework/gradcheck.h"

namespace xgrad {

using OpList = std::vector<OpInfo>;

// Every built-in op; built once, on first use.
const OpList& op_db();

// The families, each appending its entries (ops/op_db/<family>.cpp).
void add_arithmetic_ops(OpList& ops);
void add_elementwise_ops(OpList& ops);
void add_matmul_ops(OpList& ops);
void add_shape_ops(OpList& ops);
void add_reduction_ops(OpList& ops);
void add_activation_ops(OpList& ops);
void add_loss_ops(OpList& ops);
void add_dropout_ops(OpList& ops);
void add_conv_ops(OpList& ops);
void add_pool_ops(OpList& ops);
void add_indexing_ops(OpList& ops);
void add_normalization_ops(OpList& ops);
void add_gradient_ops(OpList& ops);

}  // namespace xgrad
