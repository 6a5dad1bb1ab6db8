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

void Init::apply(Tensor t, Generator& gen) const {
  switch (kind) {
    case Kind::kConstant:
      return constant_(t, a);
    case Kind::kNormal:
      return normal_(t, a, gen, b);
    case Kind::kUniform:
      return uniform_(t, a, b, gen);
    case Kind::kXavierUniform:
      return xavier_uniform_(t, gen, a);
    case Kind::kXavierNormal:
      return xavier_normal_(t, gen, a);
    case Kind::kHeUniform:
      return he_uniform_(t, gen);
    case Kind::kHeNormal:
      return he_normal_(t, gen);
  }
}

std::string Init::name() const {
  auto gain = [this] { return a == 1 ? std::string() : ":" + format_number(a); };
  switch (kind) {
    case Kind::kConstant:
      return a == 0 ? "zeros" : "constant:" + format_number(a);
    case Kind::kNormal:
      return "normal:" + format_number(a) + (b == 0 ? "" : ":" + format_number(b));
    case Kind::kUniform:
      return "uniform:" + format_number(a) + ":" + format_number(b);
    case Kind::kXavierUniform:
      return "xavier_uniform" + gain();
    case Kind::kXavierNormal:
      return "xavier_normal" + gain();
    case Kind::kHeUniform:
      return "he_uniform";
    case Kind::kHeNormal:
      return "he_normal";
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
  const std::string& kind = parts[0];
  auto arity = [&](std::size_t lo, std::size_t hi) {
    return args.size() >= lo && args.size() <= hi;
  };
  auto arg = [&](std::size_t i, double fallback) { return i < args.size() ? args[i] : fallback; };
  if (kind == "zeros" && arity(0, 0)) return Init::zeros();
  if (kind == "constant" && arity(1, 1)) return Init::constant(args[0]);
  if (kind == "normal" && arity(1, 2)) return Init::normal(args[0], arg(1, 0));
  if (kind == "uniform" && arity(2, 2)) return Init::uniform(args[0], args[1]);
  if (kind == "xavier_uniform" && arity(0, 1)) return Init::xavier_uniform(arg(0, 1));
  if (kind == "xavier_normal" && arity(0, 1)) return Init::xavier_normal(arg(0, 1));
  if (kind == "he_uniform" && arity(0, 0)) return Init::he_uniform();
  if (kind == "he_normal" && arity(0, 0)) return Init::he_normal();
  throw ValueError("parse_init: '" + text +
                   "': expected zeros, constant:c, normal:std[:mean], uniform:a:b, "
                   "xavier_uniform[:gain], xavier_normal[:gain], he_uniform or he_normal");
}

void init_module(Module& module, const Init& weights, const Init& biases, Generator& gen) {
  for (const Parameter& p : module.parameters()) {
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
