#include "models/optim/optimizers.h"

#include "models/table.h"

namespace xgrad {

const OptimizerKind& find_optimizer_kind(const std::string& kind) {
  return find_row(optimizer_table(), kind, "optimizer");
}

const std::vector<std::string>& optimizer_kinds() {
  static const std::vector<std::string> names = table_names(optimizer_table());
  return names;
}

double default_lr(const std::string& kind) { return find_optimizer_kind(kind).lr; }

std::unique_ptr<Optimizer> make_optimizer(const OptimizerSpec& spec,
                                          std::vector<Parameter> params) {
  const OptimizerKind& kind = find_optimizer_kind(spec.kind);
  return kind.make(std::move(params), spec, spec.lr.value_or(kind.lr));
}

}  // namespace xgrad
