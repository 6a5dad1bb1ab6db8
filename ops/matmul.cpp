#include "ops/matmul.h"

#include <algorithm>

#include "framework/parallel.h"
#include "framework/record.h"
#include "ops/kernels/gemm.h"
#include "ops/sum.h"

namespace xgrad {

namespace {

// The operands seen as batches of matrices after op(); batch 0 marks a
// plain matrix. op(a) is m × k, op(b) is k × n.
struct Dims {
  std::size_t batch_a, batch_b, batch, m, k, n;
  bool ta, tb;
  // a batched, b a plain matrix, a not transposed: (B·m, k) · op(b) in one product.
  bool flat() const { return batch_b == 0 && !ta; }
};

Dims check_dims(const char* op, const Shape& a, const Shape& b, bool ta, bool tb) {
  if ((a.size() != 2 && a.size() != 3) || (b.size() != 2 && b.size() != 3)) {
    throw_shape_error(op, "operands must be 2-D or 3-D", "lhs", a, "rhs", b);
  }
  Dims d{};
  d.ta = ta;
  d.tb = tb;
  d.batch_a = a.size() == 3 ? a[0] : 0;
  d.batch_b = b.size() == 3 ? b[0] : 0;
  if (d.batch_a && d.batch_b && d.batch_a != d.batch_b) {
    throw_shape_error(op, "batch sizes must match", "lhs", a, "rhs", b);
  }
  d.batch = std::max(d.batch_a, d.batch_b);
  const std::size_t ar = a[a.size() - 2], ac = a[a.size() - 1];
  const std::size_t br = b[b.size() - 2], bc = b[b.size() - 1];
  d.m = ta ? ac : ar;
  d.k = ta ? ar : ac;
  d.n = tb ? br : bc;
  if ((tb ? bc : br) != d.k) {
    throw_shape_error(op, std::string(ta ? "lhs rows" : "lhs columns") + " must equal " +
                              (tb ? "rhs columns" : "rhs rows"),
                      "lhs", a, "rhs", b);
  }
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

template <class T>
void matmul_kernel(const Dims& d, const T* a, const T* b, T* y) {
  const std::size_t lda = d.ta ? d.m : d.k, ldb = d.tb ? d.k : d.n;
  if (d.batch == 0) {  // plain matrices
    kernels::gemm<T>(d.ta, d.tb, d.m, d.n, d.k, T(1), a, lda, b, ldb, T(0), y, d.n);
  } else if (d.flat()) {  // (B·m, k) · op(b): one product
    kernels::gemm<T>(false, d.tb, d.batch * d.m, d.n, d.k, T(1), a, lda, b, ldb, T(0), y, d.n);
  } else {
    batched_gemm<T>(d.ta, d.tb, d.batch, d.m, d.n, d.k, a, d.batch_a ? d.m * d.k : 0, lda, b,
                    d.batch_b ? d.k * d.n : 0, ldb, y, false);
  }
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) { return matmul_t(a, b, false, false); }

Tensor matmul_t(const Tensor& a, const Tensor& b, bool ta, bool tb) {
  check_same_dtype("matmul", a, b);
  const Dims d = check_dims("matmul", a.shape(), b.shape(), ta, tb);
  Array y = Array::empty(d.batch ? Shape{d.batch, d.m, d.n} : Shape{d.m, d.n}, a.dtype());
  dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    matmul_kernel<T>(d, a.value().data<T>(), b.value().data<T>(), y.data<T>());
  });
  return record("matmul", std::move(y), {a, b}, [d](const Node& out, const Tensor& dy) {
    // y = A'·B' with A' = op(a), B' = op(b): dA' = dy·B'ᵀ, dB' = A'ᵀ·dy, each
    // transposed back when its operand was; a shared (2-D) operand of a
    // batched product sums over the batch.
    const Tensor a = out.input(0), b = out.input(1);
    Tensor da, db;
    if (out.needs_grad(0)) {
      da = d.ta ? matmul_t(b, dy, d.tb, true) : matmul_t(dy, b, false, !d.tb);
      if (d.batch_a == 0 && d.batch_b != 0) da = sum(da, {0});
    }
    if (out.needs_grad(1)) {
      if (d.flat() && d.batch_a != 0) {  // Σ over the B·m rows in one product
        db = d.tb ? matmul_flat_tn(dy, a) : matmul_flat_tn(a, dy);
      } else {
        db = d.tb ? matmul_t(dy, a, true, d.ta) : matmul_t(a, dy, !d.ta, false);
        if (d.batch_b == 0 && d.batch_a != 0) db = sum(db, {0});
      }
    }
    return Grads{da, db};
  });
}

Tensor matmul_flat_tn(const Tensor& a, const Tensor& b) {
  const char* op = "matmul_flat_tn";
  check_same_dtype(op, a, b);
  if (a.dim() != 3 || b.dim() != 3 || a.shape()[0] != b.shape()[0] ||
      a.shape()[1] != b.shape()[1]) {
    throw_shape_error(op, "operands must be (B, m, k) and (B, m, n)", "lhs", a.shape(), "rhs",
                      b.shape());
  }
  const std::size_t rows = a.shape()[0] * a.shape()[1], k = a.shape()[2], n = b.shape()[2];
  Array y = Array::empty({k, n}, a.dtype());
  dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::gemm<T>(true, false, k, n, rows, T(1), a.value().data<T>(), k, b.value().data<T>(), n,
                     T(0), y.data<T>(), n);
  });
  return record(op, std::move(y), {a, b}, [](const Node& out, const Tensor& dy) {
    // y = A_flatᵀ · B_flat: dA_flat = B_flat · dyᵀ, dB_flat = A_flat · dy
    return Grads{out.needs_grad(0) ? matmul_t(out.input(1), dy, false, true) : Tensor(),
                 out.needs_grad(1) ? matmul_t(out.input(0), dy, false, false) : Tensor()};
  });
}

}  // namespace xgrad
