#include "ops/op_db.h"

namespace xgrad {

const OpList& op_db() {
  static const OpList ops = [] {
    OpList list;
    add_arithmetic_ops(list);
    add_elementwise_ops(list);
    add_matmul_ops(list);
    add_shape_ops(list);
    add_reduction_ops(list);
    add_activation_ops(list);
    add_loss_ops(list);
    add_dropout_ops(list);
    add_conv_ops(list);
    add_pool_ops(list);
    add_indexing_ops(list);
    add_normalization_ops(list);
    add_gradient_ops(list);
    return list;
  }();
  return ops;
}

}  // namespace xgrad
