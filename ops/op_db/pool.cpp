// op_db entries: pool ops.
#include "ops/op_db.h"
#include "ops/op_db/samples.h"

namespace xgrad {

void add_pool_ops(OpList& ops) { (void)ops; }

}  // namespace xgrad
