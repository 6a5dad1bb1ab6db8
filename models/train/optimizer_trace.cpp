#include "models/train/optimizer_trace.h"

#include <cmath>
#include <cstdint>
#include <regex>

#include "models/format.h"
#include "models/optim/adam.h"
#include "models/optim/sgd.h"

namespace xgrad {

namespace {

std::string known_names(const Optimizer& opt) {
  std::string s;
  for (const Parameter& p : opt.params()) s += (s.empty() ? "" : ", ") + p.name;
  return s;
}

std::string cell(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, " %13.6g", v);
  return buf;
}

}  // namespace

OptimizerTrace::OptimizerTrace(const Optimizer& opt, const std::string& element, std::FILE* out)
    : out_(out) {
  static const std::regex re(R"(^\s*([^\[\]\s]+)\s*\[\s*([0-9]+(\s*,\s*[0-9]+)*)\s*\]\s*$)");
  std::smatch m;
  if (!std::regex_match(element, m, re)) {
    throw ValueError("--trace-optimizer: expected NAME[INDEX] or NAME[I,J,...], got '" + element +
                     "' (parameters: " + known_names(opt) + ")");
  }
  name_ = m[1];
  std::vector<std::size_t> index;
  const std::string list = m[2];
  static const std::regex number("[0-9]+");
  for (std::sregex_iterator it(list.begin(), list.end(), number), end; it != end; ++it) {
    // A number too long for size_t is outside every parameter anyway.
    index.push_back(it->length() > 18 ? SIZE_MAX : std::size_t(std::stoull(it->str())));
  }
  bool found = false;
  for (std::size_t k = 0; k < opt.params().size(); ++k) {
    if (opt.params()[k].name == name_) param_ = k, found = true;
  }
  if (!found) {
    throw ValueError("--trace-optimizer: no parameter '" + name_ +
                     "' (parameters: " + known_names(opt) + ")");
  }
  const Shape& shape = opt.params()[param_].tensor.shape();
  const std::size_t size = opt.params()[param_].tensor.size();
  if (index.size() == 1 && index[0] < size) {
    index_ = index[0];
  } else if (index.size() == shape.size()) {
    index_ = 0;
    for (std::size_t d = 0; d < shape.size(); ++d) {
      if (index[d] >= shape[d]) {
        index_ = size;
        break;
      }
      index_ = index_ * shape[d] + index[d];
    }
  } else {
    index_ = size;
  }
  if (index_ >= size) {
    throw ValueError("--trace-optimizer: " + element + " is outside " + name_ + " of shape " +
                     format_shape(shape) + " (" + std::to_string(size) + " elements)");
  }
  std::string at = shape.empty() ? "()" : format_index(shape, index_);  // "(3, 17)"
  label_ = name_ + "[" + at.substr(1, at.size() - 2) + "]";
  const std::string prefix = name_ + ".";
  for (const auto& [n, a] : opt.state_dict()) {
    if (n.rfind(prefix, 0) == 0 && n.find('.', prefix.size()) == std::string::npos) {
      slots_.push_back(n.substr(prefix.size()));
    }
  }
  const Parameter& p = opt.params()[param_];
  const WeightDecay& decay = opt.weight_decay();
  const bool decays = decay.value > 0 && (p.role == ParamRole::kWeight || decay.decay_biases);
  wd_ = decays ? decay.value : 0;
  l2_ = decays && decay.form == DecayForm::kL2;
  decoupled_ = decays && decay.form == DecayForm::kDecoupled;
  const std::string g = l2_ ? "g = dJ/dtheta + wd theta; " : "g = dJ/dtheta; ";
  if (const auto* sgd = dynamic_cast<const Sgd*>(&opt)) {
    beta_ = sgd->options().momentum;
    if (beta_ == 0) {
      kind_ = Kind::kSgd;
      rule_ = "SGD (L10): " + g + "theta' = theta - lr g";
      columns_ = {"-lr g"};
    } else {
      kind_ = sgd->options().nesterov ? Kind::kNesterov : Kind::kMomentum;
      rule_ = std::string(kind_ == Kind::kNesterov ? "SGD Nesterov" : "SGD momentum") +
              " (L14): " + g + "delta(t) = -lr g + beta delta(t-1), beta " + format_number(beta_) +
              "; " +
              (kind_ == Kind::kNesterov ? "theta' = theta - lr g + beta delta(t)"
                                        : "theta' = theta + delta(t)");
      columns_ = {"delta(t)"};
    }
  } else if (const auto* adam = dynamic_cast<const Adam*>(&opt)) {
    kind_ = Kind::kAdam;
    beta1_ = adam->options().beta1, beta2_ = adam->options().beta2, eps_ = adam->options().eps;
    rule_ = opt.name() + " (L15): " + (decoupled_ ? "theta <- theta - lr wd theta; " : "") + g +
            "m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; m^ = m/(1-b1^t); v^ = v/(1-b2^t); "
            "theta' = theta - lr m^/(sqrt(v^) + eps); b1 " +
            format_number(beta1_) + ", b2 " + format_number(beta2_) + ", eps " +
            format_number(eps_);
    columns_ = {"m", "v", "m^", "v^"};
  } else {
    kind_ = Kind::kOther;
    rule_ = opt.describe() + ": " + g + "state after the step:";
    columns_ = slots_;
  }
  print_header();
}

void OptimizerTrace::print_header() {
  if (!out_) return;
  std::fprintf(out_, "trace %s, %s\n%6s %13s %13s %13s", label_.c_str(), rule_.c_str(), "t", "lr",
               "theta", "g");
  for (const std::string& c : columns_) std::fprintf(out_, " %13s", c.c_str());
  if (kind_ != Kind::kOther) std::fprintf(out_, " %13s", "theta' (rule)");
  std::fprintf(out_, " %13s\n", "theta'");
  std::fflush(out_);
}

double OptimizerTrace::slot_value(const Optimizer& opt, const std::string& slot) const {
  const std::string want = name_ + "." + slot;
  for (const auto& [n, a] : opt.state_dict()) {
    if (n == want) return a.at(index_);
  }
  return NAN;
}

void OptimizerTrace::before_step(const Optimizer& opt) {
  const Parameter& p = opt.params()[param_];
  pending_ = OptimizerTraceRow{};
  pending_.lr = opt.lr();
  pending_.theta = p.tensor.value().at(index_);
  pending_.grad = p.tensor.has_grad() ? p.tensor.grad().at(index_) : NAN;
  if (l2_) pending_.grad += wd_ * pending_.theta;
  slots_before_.clear();
  for (const std::string& s : slots_) slots_before_.push_back(slot_value(opt, s));
}

void OptimizerTrace::after_step(const Optimizer& opt) {
  OptimizerTraceRow row = pending_;
  row.t = opt.step_count();
  row.new_theta = opt.params()[param_].tensor.value().at(index_);
  const double lr = row.lr, g = row.grad;
  double theta = row.theta;
  auto slot_before = [&](const std::string& s) {
    for (std::size_t k = 0; k < slots_.size(); ++k) {
      if (slots_[k] == s) return slots_before_[k];
    }
    return 0.0;
  };
  switch (kind_) {
    case Kind::kSgd:
      row.values = {-lr * g};
      row.rule_theta = theta - lr * g;
      break;
    case Kind::kMomentum:
    case Kind::kNesterov: {
      const double delta = -lr * g + beta_ * slot_before("velocity");
      row.values = {slot_value(opt, "velocity")};
      row.rule_theta = kind_ == Kind::kMomentum ? theta + delta : theta - lr * g + beta_ * delta;
      break;
    }
    case Kind::kAdam: {
      if (decoupled_) theta -= lr * wd_ * theta;
      const double t = double(row.t);
      const double m = beta1_ * slot_before("m") + (1 - beta1_) * g;
      const double v = beta2_ * slot_before("v") + (1 - beta2_) * g * g;
      const double m_hat = m / (1 - std::pow(beta1_, t)), v_hat = v / (1 - std::pow(beta2_, t));
      const double m_now = slot_value(opt, "m"), v_now = slot_value(opt, "v");
      row.values = {m_now, v_now, m_now / (1 - std::pow(beta1_, t)),
                    v_now / (1 - std::pow(beta2_, t))};
      row.rule_theta = theta - lr * m_hat / (std::sqrt(v_hat) + eps_);
      break;
    }
    case Kind::kOther:
      for (const std::string& s : slots_) row.values.push_back(slot_value(opt, s));
      row.rule_theta = NAN;
      break;
  }
  rows_.push_back(row);
  if (!out_) return;
  std::string line = std::to_string(row.t);
  line = std::string(line.size() < 6 ? 6 - line.size() : 0, ' ') + line + cell(row.lr) +
         cell(row.theta) + cell(row.grad);
  for (double v : row.values) line += cell(v);
  if (kind_ != Kind::kOther) line += cell(row.rule_theta);
  line += cell(row.new_theta);
  std::fprintf(out_, "%s\n", line.c_str());
}

}  // namespace xgrad
