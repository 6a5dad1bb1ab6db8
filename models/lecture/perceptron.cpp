#include "models/lecture/perceptron.h"

#include <sstream>

#include "framework/error.h"

namespace xgrad {

namespace {
void check_alpha(double alpha) {
  if (!(alpha > 0)) throw ValueError("Perceptron: alpha must be > 0");
}
}  // namespace

Perceptron::Perceptron(std::size_t features, double alpha)
    : theta_(features + 1, 0.0), alpha_(alpha) {
  if (features == 0) throw ValueError("Perceptron: needs at least one input feature");
  check_alpha(alpha);
}

Perceptron::Perceptron(std::vector<double> theta, double alpha)
    : theta_(std::move(theta)), alpha_(alpha) {
  if (theta_.size() < 2) throw ValueError("Perceptron: theta needs θ0 and at least one weight");
  check_alpha(alpha);
}

std::string Perceptron::name() const {
  std::ostringstream os;
  os << "Perceptron(" << features() << " inputs, alpha " << alpha_ << ")";
  return os.str();
}

void Perceptron::check_example(const std::vector<double>& x) const {
  if (x.size() != features()) {
    throw ShapeError(name() + ": an example must have " + std::to_string(features()) +
                     " features: example (" + std::to_string(x.size()) + ")");
  }
}

int Perceptron::predict(const std::vector<double>& x) const {
  check_example(x);
  double z = theta_[0];  // θ0 · x0, x0 = 1
  for (std::size_t j = 0; j < x.size(); ++j) z += theta_[j + 1] * x[j];
  return z >= 0 ? 1 : 0;
}

Tensor Perceptron::predict(const Tensor& x) const {
  if (x.dim() != 2 || x.shape()[1] != features()) {
    throw_shape_error(name(), "input must be (N, " + std::to_string(features()) + ")", "input",
                      x.shape());
  }
  const std::size_t n = x.shape()[0], d = features();
  Array out = Array::empty({n}, x.dtype());
  std::vector<double> row(d);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < d; ++j) row[j] = x.value().at(i * d + j);
    out.set(i, predict(row));
  }
  return Tensor(std::move(out));
}

int Perceptron::update(const std::vector<double>& x, double y) {
  if (y != 0.0 && y != 1.0) {
    std::ostringstream os;
    os << name() << ": labels must be 0 or 1, got " << y;
    throw ValueError(os.str());
  }
  const int bracket = int(y) - predict(x);  // y − h(x)
  if (bracket != 0) {
    theta_[0] += alpha_ * bracket;  // x0 = 1
    for (std::size_t j = 0; j < x.size(); ++j) theta_[j + 1] += alpha_ * bracket * x[j];
  }
  return bracket;
}

PerceptronFit Perceptron::fit(const Tensor& x, const Tensor& y, std::size_t max_epochs) {
  if (x.dim() != 2 || x.shape()[1] != features() || y.dim() != 1 || y.shape()[0] != x.shape()[0]) {
    throw_shape_error(name(), "x must be (N, " + std::to_string(features()) + ") and y (N)", "x",
                      x.shape(), "y", y.shape());
  }
  const std::size_t n = x.shape()[0], d = features();
  for (std::size_t i = 0; i < n; ++i) {  // every label checked before θ changes
    const double yi = y.value().at(i);
    if (yi != 0.0 && yi != 1.0) {
      std::ostringstream os;
      os << name() << ": labels must be 0 or 1, got " << yi << " at row " << i;
      throw ValueError(os.str());
    }
  }
  PerceptronFit fit;
  std::vector<double> row(d);
  while (fit.epochs < max_epochs && !fit.converged) {
    std::size_t errors = 0;
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < d; ++j) row[j] = x.value().at(i * d + j);
      errors += update(row, y.value().at(i)) != 0 ? 1 : 0;
    }
    ++fit.epochs;
    fit.errors_per_epoch.push_back(errors);
    fit.converged = errors == 0;
  }
  return fit;
}

}  // namespace xgrad
