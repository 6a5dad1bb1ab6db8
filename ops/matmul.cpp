#include "ops/matmul.h"

#include <algorithm>

#include "framework/parallel.h"
#include "framework/record.h"
#include "ops/kernels/gemm.h"

namespace xgrad {

namespace {

// The operands seen as batches of matrices; batch 0 marks a plain matrix.
struct Dims {
  std::size_t batch_a, batch_b, batch, m, k, n;
};

Dims check_dims(const Shape& a, const Shape& b) {
  const char* op = "matmul";
  if ((a.size() != 2 && a.size() != 3) || (b.size() != 2 && b.size() != 3)) {
    throw_shape_error(op, "operands must be 2-D or 3-D", "lhs", a, "rhs", b);
  }
  Dims d{};
  d.batch_a = a.size() == 3 ? a[0] : 0;
  d.batch_b = b.size() == 3 ? b[0] : 0;
  if (d.batch_a && d.batch_b && d.batch_a != d.batch_b) {
    throw_shape_error(op, "batch sizes must match", "lhs", a, "rhs", b);
  }
  d.batch = std::max(d.batch_a, d.batch_b);
  d.m = a[a.size() - 2];
  d.k = a[a.size() - 1];
  d.n = b[b.size() - 1];
  if (b[b.size() - 2] != d.k)
    throw_shape_error(op, "lhs columns must equal rhs rows", "lhs", a, "rhs", b);
  return d;
}

// out[i] = op(a[i]) · op(b[i]) (+ out[i] if accumulate) for each batch entry
// i; an operand with stride 0 is shared by every entry. With `sum_batch`
// all products are accumulated into out[0] in batch order (for the gradient
// of a shared operand).
template <class T>
void batched_gemm(bool ta, bool tb, std::size_t batch, std::size_t m, std::size_t n, std::size_t k,
                  const T* a, std::size_t a_stride, std::size_t lda, const T* b,
                  std::size_t b_stride, std::size_t ldb, T* out, bool sum_batch) {
  if (sum_batch) {
    for (std::size_t i = 0; i < batch; ++i) {
      kernels::gemm<T>(ta, tb, m, n, k, T(1), a + i * a_stride, lda, b + i * b_stride, ldb,
                       i == 0 ? T(0) : T(1), out, n);
    }
    return;
  }
  const std::size_t work = m * n * k;
  if (batch == 1 || work >= (std::size_t(1) << 21)) {
    for (std::size_t i = 0; i < batch; ++i) {
      kernels::gemm<T>(ta, tb, m, n, k, T(1), a + i * a_stride, lda, b + i * b_stride, ldb, T(0),
                       out + i * m * n, n);
    }
    return;
  }
  parallel_for(0, batch, std::max<std::size_t>(1, (std::size_t(1) << 18) / (work + 1)),
               [&](std::size_t i0, std::size_t i1) {
                 for (std::size_t i = i0; i < i1; ++i) {
                   kernels::gemm_serial<T>(ta, tb, m, n, k, T(1), a + i * a_stride, lda,
                                           b + i * b_stride, ldb, T(0), out + i * m * n, n);
                 }
               });
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
  check_same_dtype("matmul", a, b);
  const Dims d = check_dims(a.shape(), b.shape());
  Shape out_shape = d.batch ? Shape{d.batch, d.m, d.n} : Shape{d.m, d.n};
  Array y = Array::empty(out_shape, a.dtype());
  dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if (d.batch_b == 0) {  // (B·m, k) · (k, n): one product
      kernels::gemm<T>(false, false, std::max<std::size_t>(d.batch, 1) * d.m, d.n, d.k, T(1),
                       a.value().data<T>(), d.k, b.value().data<T>(), d.n, T(0), y.data<T>(), d.n);
    } else {
      batched_gemm<T>(false, false, d.batch, d.m, d.n, d.k, a.value().data<T>(),
                      d.batch_a ? d.m * d.k : 0, d.k, b.value().data<T>(), d.k * d.n, d.n,
                      y.data<T>(), false);
    }
  });
  return record("matmul", std::move(y), {a, b}, [d](const Node& out, const Array& dy) {
    const Array& a = out.input(0);
    const Array& b = out.input(1);
    Grads g(2);
    dispatch(dy.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* pa = a.data<T>();
      const T* pb = b.data<T>();
      const T* pdy = dy.data<T>();
      const std::size_t rows = std::max<std::size_t>(d.batch, 1) * d.m;
      if (out.input_requires_grad(0)) {  // da = dy · bᵀ
        g[0] = Array::empty(a.shape(), a.dtype());
        if (d.batch_b == 0) {
          kernels::gemm<T>(false, true, rows, d.k, d.n, T(1), pdy, d.n, pb, d.n, T(0),
                           g[0].data<T>(), d.k);
        } else {
          batched_gemm<T>(false, true, d.batch, d.m, d.k, d.n, pdy, d.m * d.n, d.n, pb, d.k * d.n,
                          d.n, g[0].data<T>(), d.batch_a == 0);
        }
      }
      if (out.input_requires_grad(1)) {  // db = aᵀ · dy
        g[1] = Array::empty(b.shape(), b.dtype());
        if (d.batch_b == 0) {
          kernels::gemm<T>(true, false, d.k, d.n, rows, T(1), pa, d.k, pdy, d.n, T(0),
                           g[1].data<T>(), d.n);
        } else {
          batched_gemm<T>(true, false, d.batch, d.k, d.n, d.m, pa, d.batch_a ? d.m * d.k : 0, d.k,
                          pdy, d.m * d.n, d.n, g[1].data<T>(), false);
        }
      }
    });
    return g;
  });
}

}  // namespace xgrad
