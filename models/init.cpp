#include "models/init.h"

#include <cmath>
#include <cstdlib>
#include <vector>

#include "framework/grad_mode.h"
#include "models/format.h"

namespace xgrad {

namespace {
// Replaces the leaf's value by `value` (same shape and dtype by construction).
void assign(Tensor& t, Array value) {
  NoGradGuard no_grad;
  t.mutable_value() = std::move(value);
}
}  // namespace

Fans compute_fans(const Shape& shape, const std::string& op) {
  if (shape.size() < 2) {
    throw_shape_error(op, "needs a weight of at least 2 dimensions (out, in, ...)", "shape", shape);
  }
  std::size_t receptive = 1;
  for (std::size_t d = 2; d < shape.size(); ++d) receptive *= shape[d];
  return {shape[1] * receptive, shape[0] * receptive};
}

void constant_(Tensor t, double value) { assign(t, Array::full(t.shape(), value, t.dtype())); }

void zeros_(Tensor t) { constant_(t, 0); }

void normal_(Tensor t, double stddev, Generator& gen, double mean) {
  assign(t, gen.normal(t.shape(), mean, stddev, t.dtype()));
}

void uniform_(Tensor t, double low, double high, Generator& gen) {
  assign(t, gen.uniform(t.shape(), low, high, t.dtype()));
}

void xavier_uniform_(Tensor t, Generator& gen, double gain) {
  Fans f = compute_fans(t.shape(), "xavier_uniform");
  const double r = gain * std::sqrt(6.0 / double(f.in + f.out));
  uniform_(t, -r, r, gen);
}

void xavier_normal_(Tensor t, Generator& gen, double gain) {
  Fans f = compute_fans(t.shape(), "xavier_normal");
  normal_(t, gain * std::sqrt(2.0 / double(f.in + f.out)), gen);
}

void he_uniform_(Tensor t, Generator& gen) {
  Fans f = compute_fans(t.shape(), "he_uniform");
  const double r = std::sqrt(6.0 / double(f.in));
  uniform_(t, -r, r, gen);
}

void he_normal_(Tensor t, Generator& gen) {
  Fans f = compute_fans(t.shape(), "he_normal");
  normal_(t, std::sqrt(2.0 / double(f.in)), gen);
}

const std::vector<InitKind>& init_table() {
  using G = Generator;
  static const std::vector<InitKind> table{
      {Init::Kind::kConstant,
       "zeros",
       "zeros",
       0,
       0,
       {0, 0},
       "θ = 0",
       [](Tensor t, G&, double, double) { zeros_(t); }},
      {Init::Kind::kConstant,
       "constant",
       "constant:c",
       1,
       1,
       {0, 0},
       "θ = c",
       [](Tensor t, G&, double a, double) { constant_(t, a); }},
      {Init::Kind::kNormal,
       "normal",
       "normal:std[:mean]",
       1,
       2,
       {0, 0},
       "θ ~ N(mean, std²)",
       [](Tensor t, G& g, double a, double b) { normal_(t, a, g, b); }},
      {Init::Kind::kUniform,
       "uniform",
       "uniform:a:b",
       2,
       2,
       {0, 0},
       "θ ~ U(a, b)",
       [](Tensor t, G& g, double a, double b) { uniform_(t, a, b, g); }},
      {Init::Kind::kXavierUniform,
       "xavier_uniform",
       "xavier_uniform[:gain]",
       0,
       1,
       {1, 0},
       "Glorot & Bengio 2010, uniform",
       [](Tensor t, G& g, double a, double) { xavier_uniform_(t, g, a); }},
      {Init::Kind::kXavierNormal,
       "xavier_normal",
       "xavier_normal[:gain]",
       0,
       1,
       {1, 0},
       "Glorot & Bengio 2010, normal",
       [](Tensor t, G& g, double a, double) { xavier_normal_(t, g, a); }},
      {Init::Kind::kHeUniform,
       "he_uniform",
       "he_uniform",
       0,
       0,
       {0, 0},
       "He et al. 2015, uniform (ReLU)",
       [](Tensor t, G& g, double, double) { he_uniform_(t, g); }},
      {Init::Kind::kHeNormal,
       "he_normal",
       "he_normal",
       0,
       0,
       {0, 0},
       "He et al. 2015, normal (ReLU)",
       [](Tensor t, G& g, double, double) { he_normal_(t, g); }},
  };
  return table;
}

void Init::apply(Tensor t, Generator& gen) const {
  for (const InitKind& k : init_table()) {
    if (k.kind == kind) return k.apply(t, gen, a, b);
  }
  throw ValueError("Init::apply: unknown kind " + std::to_string(int(kind)));
}

std::string Init::name() const {
  const double args[2] = {a, b};
  for (const InitKind& k : init_table()) {
    if (k.kind != kind) continue;
    // The fewest arguments n such that every omitted one equals its default.
    for (std::size_t n = k.min_args; n <= k.max_args; ++n) {
      bool exact = true;
      for (std::size_t i = n; i < 2; ++i) exact = exact && args[i] == k.defaults[i];
      if (!exact) continue;
      std::string out = k.name;
      for (std::size_t i = 0; i < n; ++i) out += ":" + format_number(args[i]);
      return out;
    }
  }
  return "?";
}

Init parse_init(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t colon; (colon = text.find(':', start)) != std::string::npos; start = colon + 1) {
    parts.push_back(text.substr(start, colon - start));
  }
  parts.push_back(text.substr(start));
  std::vector<double> args;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    char* end = nullptr;
    const double v = std::strtod(parts[i].c_str(), &end);
    if (parts[i].empty() || *end != '\0' || !std::isfinite(v)) {
      throw ValueError("parse_init: '" + text + "': '" + parts[i] + "' is not a number");
    }
    args.push_back(v);
  }
  std::string usages;
  const auto& table = init_table();
  for (std::size_t r = 0; r < table.size(); ++r) {
    const InitKind& k = table[r];
    if (parts[0] == k.name && args.size() >= k.min_args && args.size() <= k.max_args) {
      Init init;
      init.kind = k.kind;
      init.a = args.size() > 0 ? args[0] : k.defaults[0];
      init.b = args.size() > 1 ? args[1] : k.defaults[1];
      return init;
    }
    usages += std::string(r == 0 ? "" : r + 1 == table.size() ? " or " : ", ") + k.usage;
  }
  throw ValueError("parse_init: '" + text + "': expected " + usages);
}

void init_module(Module& module, const Init& weights, const Init& biases, Generator& gen) {
  for (const Parameter& p : module.parameters()) {
    if (p.role == ParamRole::kNormWeight) continue;  // keeps its ones (PyTorch's reset)
    try {
      (p.role == ParamRole::kWeight ? weights : biases).apply(p.tensor, gen);
    } catch (const ShapeError& e) {
      throw ShapeError("init_module: " + p.name + ": " + e.what());
    } catch (const ValueError& e) {
      throw ValueError("init_module: " + p.name + ": " + e.what());
    }
  }
}

}  // namespace xgrad
