// Broadcasting arithmetic: add, sub, mul, div (tensor-tensor and with a
// scalar) and neg, with the usual C++ operators.
//   forward:  y = a ∘ b over the NumPy-broadcast shape of a and b
//   backward: each gradient is reduced to its operand's shape with sum_to
//     add: da = dy,        db = dy
//     sub: da = dy,        db = -dy
//     mul: da = dy · b,    db = dy · a
//     div: da = dy / b,    db = -dy · y / b        saves y (= a / b)
//     neg: da = -dy
//   shapes:   a: any, b: broadcastable with a -> broadcast(a, b)
// The four ops share one broadcasting rule, hence one file.
#pragma once

#include "framework/tensor.h"

namespace xgrad {

Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor neg(const Tensor& a);

// With a scalar s (no gradient for s).
Tensor add(const Tensor& a, double s);
Tensor sub(const Tensor& a, double s);   // a - s
Tensor rsub(double s, const Tensor& a);  // s - a
Tensor mul(const Tensor& a, double s);
Tensor div(const Tensor& a, double s);   // a / s
Tensor rdiv(double s, const Tensor& a);  // s / a

inline Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
inline Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
inline Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
inline Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
inline Tensor operator-(const Tensor& a) { return neg(a); }
inline Tensor operator+(const Tensor& a, double s) { return add(a, s); }
inline Tensor operator+(double s, const Tensor& a) { return add(a, s); }
inline Tensor operator-(const Tensor& a, double s) { return sub(a, s); }
inline Tensor operator-(double s, const Tensor& a) { return rsub(s, a); }
inline Tensor operator*(const Tensor& a, double s) { return mul(a, s); }
inline Tensor operator*(double s, const Tensor& a) { return mul(a, s); }
inline Tensor operator/(const Tensor& a, double s) { return div(a, s); }
inline Tensor operator/(double s, const Tensor& a) { return rdiv(s, a); }

}  // namespace xgrad
