// The README's first example: a small graph, backward(), gradients.
#include <iostream>
#include <xgrad.h>

int main() {
  using namespace xgrad;
  Generator gen(42);
  Tensor x = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}});  // (2, 3) float32
  Tensor w = randn({3, 2}, gen).requires_grad_();         // a parameter
  Tensor b = zeros({2}).requires_grad_();
  Tensor h = sigmoid(matmul(x, w) + b);  // recorded as it runs
  h.retain_grad();                       // keep dJ/dh too
  Tensor loss = sum(h * h);
  loss.backward();  // reverse mode
  std::cout << loss << "\n" << w.grad() << "\n" << b.grad() << "\n" << h.grad() << "\n";
}
