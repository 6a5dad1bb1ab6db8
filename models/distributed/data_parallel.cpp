#include "models/distributed/data_parallel.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "framework/grad_mode.h"
#include "models/layers/dropout.h"

namespace xgrad {

namespace {

// Every Dropout layer of the tree, depth-first in registration order.
std::vector<Dropout*> dropout_layers(Module& root) {
  std::vector<Dropout*> out;
  std::vector<Module*> stack{&root};
  while (!stack.empty()) {
    Module* m = stack.back();
    stack.pop_back();
    if (auto* d = dynamic_cast<Dropout*>(m)) out.push_back(d);
    const auto& children = m->children();
    for (auto it = children.rbegin(); it != children.rend(); ++it)
      stack.push_back(it->second.get());
  }
  return out;
}

void set_offset(Dropout& layer, std::uint64_t offset) {
  Generator gen = layer.generator();
  gen.set_state(gen.seed(), offset);
  layer.set_generator(gen);
}

// The first row of a batch, as a batch of one.
Tensor first_row(const Tensor& x) {
  Shape shape = x.shape();
  shape[0] = 1;
  Array row = Array::empty(shape, x.dtype());
  dispatch_any(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    std::memcpy(row.data<T>(), x.value().data<T>(), row.size() * sizeof(T));
  });
  return Tensor(std::move(row));
}

}  // namespace

DataParallel::DataParallel(const Communicator& comm, Module& model, ReducerOptions options)
    : comm_(comm.handle()), model_(model) {
  broadcast_state();
  reducer_ = std::make_unique<GradientReducer>(comm_, model_.parameters(), options);
  for (Dropout* d : dropout_layers(model_)) streams_.push_back(Stream{d});
}

void DataParallel::broadcast_state(Optimizer* optimizer) {
  NamedArrays state = model_.state_dict();
  comm_.broadcast(state, 0);
  if (comm_.rank() != 0) model_.load_state_dict(state);
  if (optimizer != nullptr) {
    NamedArrays opt = optimizer->state_dict();
    comm_.broadcast(opt, 0);
    if (comm_.rank() != 0) optimizer->load_state_dict(opt);
  }
}

void DataParallel::check_replicas(const Optimizer* optimizer) const {
  NamedArrays state = model_.state_dict();
  if (optimizer != nullptr) {
    for (auto& entry : optimizer->state_dict()) state.push_back(std::move(entry));
  }
  const std::string differ = comm_.ranks_differing_from_root(fingerprint(state));
  if (!differ.empty()) {
    throw CollectiveError("the model replicas diverged: rank(s) " + differ +
                          " hold parameters, buffers or optimiser state that differ from rank "
                          "0's (a non-deterministic reduction, or a rank that changed its model "
                          "outside the training step)");
  }
}

Shard DataParallel::begin_step(std::size_t batch) {
  if (in_step_) throw GraphError("DataParallel::begin_step: the previous step did not end");
  if (batch == 0) throw ValueError("DataParallel::begin_step: a global batch needs a row");
  batch_ = batch;
  shard_ = shard_of(batch, comm_.rank(), comm_.size());
  for (Stream& s : streams_) s.start = s.layer->generator().offset();
  reducer_->prepare(double(shard_.size()) / double(batch));
  in_step_ = true;
  forward_done_ = false;
  return shard_;
}

void DataParallel::learn_draws_per_row(const Tensor& x) {
  NoGradGuard no_grad;
  model_(first_row(x));
  for (Stream& s : streams_) {
    s.per_row = std::int64_t(s.layer->generator().offset() - s.start);
    set_offset(*s.layer, s.start);
  }
}

Tensor DataParallel::forward(const Tensor& x) {
  if (!in_step_) throw GraphError("DataParallel::forward: call begin_step() first");
  if (forward_done_) throw GraphError("DataParallel::forward: one forward pass per step");
  if (x.dim() == 0 || x.shape()[0] != shard_.size()) {
    throw_shape_error("DataParallel::forward",
                      "the input must hold this rank's " + std::to_string(shard_.size()) +
                          " rows of the global batch",
                      "input", x.shape());
  }
  forward_done_ = true;
  const bool unknown =
      std::any_of(streams_.begin(), streams_.end(), [](const Stream& s) { return s.per_row < 0; });
  if (unknown) learn_draws_per_row(x);
  for (Stream& s : streams_) {
    set_offset(*s.layer, s.start + std::uint64_t(s.per_row) * shard_.begin);
  }
  Tensor y = model_(x);
  for (Stream& s : streams_) {
    const std::uint64_t drawn =
        s.layer->generator().offset() - s.start - std::uint64_t(s.per_row) * shard_.begin;
    if (drawn != std::uint64_t(s.per_row) * shard_.size()) {
      throw ValueError("DataParallel: " + s.layer->name() + " drew " + std::to_string(drawn) +
                       " random numbers for " + std::to_string(shard_.size()) + " rows, not " +
                       std::to_string(s.per_row) +
                       " per row: its masks cannot be split by rows across ranks");
    }
  }
  return y;
}

void DataParallel::end_step() {
  if (!in_step_) throw GraphError("DataParallel::end_step: call begin_step() first");
  in_step_ = false;
  reducer_->finish();
  if (streams_.empty()) return;
  // On the first step the ranks agree on each layer's draws per row (a rank
  // with an empty shard never ran forward); every rank makes this call on
  // the same step, as `agreed_` changes only here.
  if (!agreed_) {
    std::vector<std::int64_t> per_row;
    for (const Stream& s : streams_) per_row.push_back(s.per_row);
    comm_.allreduce_max(per_row);
    for (std::size_t i = 0; i < streams_.size(); ++i) streams_[i].per_row = per_row[i];
    agreed_ = true;
  }
  for (Stream& s : streams_) set_offset(*s.layer, s.start + std::uint64_t(s.per_row) * batch_);
}

}  // namespace xgrad
