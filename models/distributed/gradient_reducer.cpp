#include "models/distributed/gradient_reducer.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <set>

#include "framework/node.h"
#include "framework/parallel.h"

namespace xgrad {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::size_t element_size(DType dtype) { return dtype == kFloat32 ? 4 : 8; }

MPI_Datatype mpi_type(DType dtype) { return dtype == kFloat32 ? MPI_FLOAT : MPI_DOUBLE; }

// dst[i] = src[i] * w, or zeros when src is null; in parallel above the grain.
template <class T>
void scaled_copy(T* dst, const T* src, std::size_t n, T w) {
  parallel_for(0, n, kElementwiseGrain, [&](std::size_t b, std::size_t e) {
    if (src == nullptr) {
      std::fill(dst + b, dst + e, T(0));
    } else {
      for (std::size_t i = b; i < e; ++i) dst[i] = src[i] * w;
    }
  });
}

}  // namespace

GradientReducer::GradientReducer(const Communicator& comm, std::vector<Parameter> params,
                                 ReducerOptions options)
    : comm_(comm.handle()), params_(std::move(params)), options_(options) {
  if (options_.bucket_bytes < 4 || options_.bucket_bytes > (std::size_t(1) << 30)) {
    throw ValueError("GradientReducer: bucket size must be between 4 bytes and 1 GiB, got " +
                     std::to_string(options_.bucket_bytes));
  }
  std::set<std::string> names;
  for (const Parameter& p : params_) {
    if (!p.tensor.defined() || !p.tensor.requires_grad() || !p.tensor.is_leaf()) {
      throw ValueError("GradientReducer: parameter '" + p.name +
                       "' must be a defined leaf that requires grad");
    }
    if (!names.insert(p.name).second) {
      throw ValueError("GradientReducer: two parameters are named '" + p.name + "'");
    }
  }
  // Reverse creation order: the order backward finishes the gradients in
  // (the last layer's first), so the first bucket fills first.
  std::vector<std::size_t> order(params_.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return params_[a].tensor.node()->seq > params_[b].tensor.node()->seq;
  });
  slots_.resize(params_.size());
  std::vector<std::size_t> open(2, SIZE_MAX);  // the open bucket per floating dtype
  for (std::size_t k : order) {
    const Tensor& t = params_[k].tensor;
    const DType dtype = t.dtype();
    std::size_t& current = open[dtype == kFloat32 ? 0 : 1];
    if (current == SIZE_MAX ||
        (buckets_[current].count + t.size()) * element_size(dtype) > options_.bucket_bytes) {
      current = buckets_.size();
      buckets_.emplace_back();
      buckets_.back().dtype = dtype;
      info_.emplace_back();
      info_.back().dtype = dtype;
    }
    Bucket& b = buckets_[current];
    slots_[k].bucket = current;
    slots_[k].offset = b.count;
    b.count += t.size();
    b.params.push_back(k);
    info_[current].params.push_back(params_[k].name);
    info_[current].elements += t.size();
  }
  for (Bucket& b : buckets_) {
    // The flags follow the gradients: one element per parameter.
    for (std::size_t i = 0; i < b.params.size(); ++i) slots_[b.params[i]].flag = b.count + i;
    b.count += b.params.size();
    if (b.count > std::size_t(INT_MAX)) {
      throw ValueError("GradientReducer: a parameter of " + std::to_string(b.count) +
                       " elements is larger than one MPI message allows");
    }
    b.send.assign(b.count * element_size(b.dtype), 0);
    b.recv.assign(b.count * element_size(b.dtype), 0);
  }
  for (std::size_t k = 0; k < params_.size(); ++k) {
    hooks_.push_back(params_[k].tensor.register_post_accumulate_grad_hook(
        [this, k](const Tensor&) { on_gradient(k); }));
  }
}

GradientReducer::~GradientReducer() {
  for (HookHandle& h : hooks_) h.remove();
  // Buckets still in flight (an exception mid-step) cannot be cancelled: MPI
  // collectives complete only together with the other ranks. The process is
  // expected to stop (launch.h); the requests are left to MPI_Finalize/Abort.
}

void GradientReducer::prepare(double weight) {
  if (armed_) throw GraphError("GradientReducer::prepare: the previous step was not finished");
  if (!std::isfinite(weight) || weight < 0) {
    throw ValueError("GradientReducer::prepare: weight must be finite and >= 0, got " +
                     std::to_string(weight));
  }
  weight_ = weight;
  armed_ = true;
  next_ = 0;
  for (Slot& s : slots_) s.packed = false;
  for (Bucket& b : buckets_) {
    b.pending = b.params.size();
    b.started = false;
  }
}

void GradientReducer::on_gradient(std::size_t k) {
  if (!armed_ || !options_.overlap) return;
  const auto start = Clock::now();
  const Slot& s = slots_[k];
  if (buckets_[s.bucket].started) {
    throw GraphError("GradientReducer: parameter '" + params_[k].name +
                     "' received a second gradient after its bucket was sent; run one backward "
                     "pass between prepare() and finish()");
  }
  const bool first = !s.packed;
  pack(k);
  if (first) {
    --buckets_[s.bucket].pending;
    start_ready_buckets();
  }
  progress();
  stats_.hook_seconds += seconds_since(start);
}

void GradientReducer::pack(std::size_t k) {
  Slot& s = slots_[k];
  Bucket& b = buckets_[s.bucket];
  const Tensor& t = params_[k].tensor;
  const bool has = t.has_grad();
  dispatch(b.dtype, [&](auto tag) {
    using T = decltype(tag);
    T* base = reinterpret_cast<T*>(b.send.data());
    scaled_copy<T>(base + s.offset, has ? t.grad().data<T>() : nullptr, t.size(), T(weight_));
    base[s.flag] = has ? T(1) : T(0);
  });
  s.packed = true;
}

void GradientReducer::start_ready_buckets() {
  while (next_ < buckets_.size() && buckets_[next_].pending == 0) start(buckets_[next_++]);
}

void GradientReducer::start(Bucket& b) {
  check_mpi(MPI_Iallreduce(b.send.data(), b.recv.data(), int(b.count), mpi_type(b.dtype), MPI_SUM,
                           comm_, &b.request),
            "MPI_Iallreduce");
  b.started = true;
  stats_.bytes += b.send.size();
}

void GradientReducer::progress() {
  // One test moves every pending non-blocking collective along (Open MPI's
  // progress engine); testing the oldest unfinished bucket is enough.
  for (std::size_t i = 0; i < next_; ++i) {
    if (buckets_[i].request == MPI_REQUEST_NULL) continue;
    int done = 0;
    check_mpi(MPI_Test(&buckets_[i].request, &done, MPI_STATUS_IGNORE), "MPI_Test");
    if (!done) return;
  }
}

void GradientReducer::finish() {
  if (!armed_) throw GraphError("GradientReducer::finish: prepare() was not called");
  const auto start_time = Clock::now();
  // Leftovers: parameters no hook delivered (no gradient this pass, or
  // overlap off), in bucket order, so every rank starts the same sequence.
  for (std::size_t i = next_; i < buckets_.size(); ++i) {
    for (std::size_t k : buckets_[i].params) {
      if (!slots_[k].packed) pack(k);
    }
    buckets_[i].pending = 0;
  }
  start_ready_buckets();
  const auto wait_start = Clock::now();
  for (Bucket& b : buckets_) {
    check_mpi(MPI_Wait(&b.request, MPI_STATUS_IGNORE), "MPI_Wait");
  }
  stats_.wait_seconds += seconds_since(wait_start);
  for (const Bucket& b : buckets_) unpack(b);
  armed_ = false;
  ++stats_.steps;
  stats_.finish_seconds += seconds_since(start_time);
}

void GradientReducer::unpack(const Bucket& b) {
  dispatch(b.dtype, [&](auto tag) {
    using T = decltype(tag);
    const T* base = reinterpret_cast<const T*>(b.recv.data());
    for (std::size_t k : b.params) {
      const Slot& s = slots_[k];
      Tensor& t = params_[k].tensor;
      if (base[s.flag] == T(0)) {  // no rank had a gradient: none, as in one process
        t.zero_grad();
        continue;
      }
      // Gradients are no tensor's value (no version counter guards them);
      // the node's accumulated gradient is written in place, as the engine
      // itself accumulates it.
      Array& grad = t.node()->grad;
      if (!grad.defined() || grad.shape() != t.shape() || grad.dtype() != b.dtype) {
        grad = Array::empty(t.shape(), b.dtype);
      }
      scaled_copy<T>(grad.data<T>(), base + s.offset, t.size(), T(1));
    }
  });
}

}  // namespace xgrad
