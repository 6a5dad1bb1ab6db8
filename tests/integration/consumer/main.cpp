// Builds y = sigmoid(w·x + b) with the installed package and checks one
// gradient against its closed form: dy/dw = y (1 - y) x.
#include <cmath>
#include <iostream>

#include <xgrad.h>

int main() {
  using namespace xgrad;
  Tensor w = tensor({{0.5, -0.25}}, kFloat64).requires_grad_();
  Tensor x = tensor({{2.0}, {4.0}}, kFloat64);
  Tensor b = tensor({0.1}, kFloat64).requires_grad_();
  Tensor y = sigmoid(matmul(w, x) + b);
  y.backward(Array::full(y.shape(), 1.0, kFloat64));
  const double z = 0.5 * 2.0 - 0.25 * 4.0 + 0.1;
  const double s = 1 / (1 + std::exp(-z));
  const double expected = s * (1 - s) * 4.0;  // dy/dw[0][1]
  const double got = w.grad().at(1);
  std::cout << "consumer: dy/dw = " << got << " (expected " << expected << ")\n";
  return std::abs(got - expected) < 1e-12 ? 0 : 1;
}
