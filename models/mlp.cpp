#include "models/mlp.h"

#include <memory>

#include "models/layers/dropout.h"
#include "models/format.h"
#include "models/layers/linear.h"

namespace xgrad {

Mlp::Mlp(MlpOptions options, Generator& gen) : options_(std::move(options)) {
  const std::vector<std::size_t>& sizes = options_.sizes;
  if (sizes.size() < 2) {
    throw ValueError("Mlp: needs at least two sizes (input and output), got " +
                     std::to_string(sizes.size()));
  }
  for (std::size_t s : sizes) {
    if (s == 0) throw ValueError("Mlp: layer sizes must be positive");
  }
  if (!(options_.dropout >= 0 && options_.dropout < 1)) {
    throw ValueError("Mlp: dropout must be in [0, 1), got " + format_number(options_.dropout));
  }
  std::vector<std::shared_ptr<Linear>> linears;
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
    linears.push_back(std::make_shared<Linear>(sizes[i], sizes[i + 1], gen, true, options_.dtype));
  }
  for (std::size_t i = 0; i < linears.size(); ++i) {
    add(linears[i]);
    if (i + 1 == linears.size()) break;  // logits: no activation after the last layer
    add(make_activation(options_.activation));
    if (options_.dropout > 0) {
      add(std::make_shared<Dropout>(options_.dropout, Generator::bits(gen.seed(), gen.advance(1))));
    }
  }
}

std::string Mlp::name() const {
  std::string s = "Mlp(";
  for (std::size_t i = 0; i < options_.sizes.size(); ++i) {
    s += (i ? "-" : "") + std::to_string(options_.sizes[i]);
  }
  s += ", " + activation_name(options_.activation);
  if (options_.dropout > 0) s += ", dropout=" + format_number(options_.dropout);
  return s + ")";
}

}  // namespace xgrad
