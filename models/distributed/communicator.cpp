#include "models/distributed/communicator.h"

#include <climits>
#include <cstdlib>
#include <cstring>

namespace xgrad {

namespace {

// MPI counts are ints: large buffers go in pieces of at most 1 GiB.
constexpr std::size_t kMaxPiece = std::size_t(1) << 30;

void broadcast_bytes(void* data, std::size_t bytes, int root, MPI_Comm comm) {
  char* p = static_cast<char*>(data);
  for (std::size_t done = 0; done < bytes; done += kMaxPiece) {
    const int n = int(std::min(kMaxPiece, bytes - done));
    check_mpi(MPI_Bcast(p + done, n, MPI_BYTE, root, comm), "MPI_Bcast");
  }
}

template <class T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

template <class T>
T take(const std::string& in, std::size_t& at) {
  if (at + sizeof(T) > in.size()) throw DistributedError("broadcast: truncated array header");
  T v;
  std::memcpy(&v, in.data() + at, sizeof v);
  at += sizeof v;
  return v;
}

// Raw bytes of an array (any dtype).
char* bytes_of(Array& a) {
  return dispatch_any(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    return reinterpret_cast<char*>(a.data<T>());
  });
}

const char* bytes_of(const Array& a) {
  return dispatch_any(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    return reinterpret_cast<const char*>(a.data<T>());
  });
}

std::size_t element_size(DType dtype) { return dtype == kFloat32 ? 4 : 8; }

}  // namespace

void check_mpi(int rc, const char* call) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, text, &len);
  throw DistributedError(std::string(call) + ": " + std::string(text, std::size_t(len)));
}

bool launched_by_mpi() {
  // Open MPI's mpirun, PMIx (Open MPI 5, Slurm), MPICH's Hydra and PMI-1/2.
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

Communicator::Communicator(MPI_Comm comm) {
  check_mpi(MPI_Comm_dup(comm, &comm_), "MPI_Comm_dup");
  check_mpi(MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN), "MPI_Comm_set_errhandler");
  check_mpi(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
  check_mpi(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
}

Communicator::~Communicator() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (comm_ != MPI_COMM_NULL && !finalized) MPI_Comm_free(&comm_);
}

Communicator::Communicator(Communicator&& other) noexcept
    : comm_(other.comm_), rank_(other.rank_), size_(other.size_) {
  other.comm_ = MPI_COMM_NULL;
}

void Communicator::barrier() const { check_mpi(MPI_Barrier(comm_), "MPI_Barrier"); }

void Communicator::broadcast(std::string& bytes, int root) const {
  std::uint64_t n = bytes.size();
  check_mpi(MPI_Bcast(&n, 1, MPI_UINT64_T, root, comm_), "MPI_Bcast");
  bytes.resize(n);
  broadcast_bytes(bytes.data(), n, root, comm_);
}

void Communicator::broadcast(NamedArrays& arrays, int root) const {
  // The root's names, dtypes and shapes first, then each array's bytes.
  std::string header;
  if (rank_ == root) {
    put<std::uint64_t>(header, arrays.size());
    for (const auto& [name, a] : arrays) {
      put<std::uint64_t>(header, name.size());
      header += name;
      put<std::int32_t>(header, std::int32_t(a.dtype()));
      put<std::uint64_t>(header, a.dim());
      for (std::size_t d : a.shape()) put<std::uint64_t>(header, d);
    }
  }
  broadcast(header, root);
  if (rank_ != root) {
    std::size_t at = 0;
    NamedArrays received(take<std::uint64_t>(header, at));
    for (auto& [name, a] : received) {
      const auto len = take<std::uint64_t>(header, at);
      if (at + len > header.size()) throw DistributedError("broadcast: truncated array name");
      name = header.substr(at, len);
      at += len;
      const auto dtype = DType(take<std::int32_t>(header, at));
      Shape shape(take<std::uint64_t>(header, at));
      for (std::size_t& d : shape) d = take<std::uint64_t>(header, at);
      a = Array::empty(shape, dtype);
    }
    arrays = std::move(received);
  }
  for (auto& entry : arrays) {
    Array& a = entry.second;
    broadcast_bytes(bytes_of(a), a.size() * element_size(a.dtype()), root, comm_);
  }
}

void Communicator::allreduce_sum(std::vector<double>& values) const {
  check_mpi(
      MPI_Allreduce(MPI_IN_PLACE, values.data(), int(values.size()), MPI_DOUBLE, MPI_SUM, comm_),
      "MPI_Allreduce");
}

void Communicator::allreduce_max(std::vector<std::int64_t>& values) const {
  check_mpi(
      MPI_Allreduce(MPI_IN_PLACE, values.data(), int(values.size()), MPI_INT64_T, MPI_MAX, comm_),
      "MPI_Allreduce");
}

std::vector<std::uint64_t> Communicator::allgather(std::uint64_t value) const {
  std::vector<std::uint64_t> all(std::size_t(size_), 0);
  check_mpi(MPI_Allgather(&value, 1, MPI_UINT64_T, all.data(), 1, MPI_UINT64_T, comm_),
            "MPI_Allgather");
  return all;
}

std::string Communicator::ranks_differing_from_root(std::uint64_t fingerprint) const {
  const std::vector<std::uint64_t> all = allgather(fingerprint);
  std::string out;
  for (std::size_t r = 1; r < all.size(); ++r) {
    if (all[r] != all[0]) out += (out.empty() ? "" : ", ") + std::to_string(r);
  }
  return out;
}

MpiSession::MpiSession(int& argc, char**& argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (initialized) return;
  int provided = 0;
  check_mpi(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  owns_ = true;
}

MpiSession::~MpiSession() {
  if (owns_) MPI_Finalize();
}

int MpiSession::local_size() const {
  MPI_Comm local;
  check_mpi(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local),
            "MPI_Comm_split_type");
  int n = 1;
  MPI_Comm_size(local, &n);
  MPI_Comm_free(&local);
  return n;
}

std::uint64_t fingerprint(const NamedArrays& arrays) {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](std::uint64_t word) { h = (h ^ word) * 1099511628211ULL; };
  auto mix_bytes = [&](const char* p, std::size_t n) {
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      mix(w);
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, p + i, n - i);
    mix(tail ^ (std::uint64_t(n - i) << 56));
  };
  for (const auto& [name, a] : arrays) {
    mix_bytes(name.data(), name.size());
    if (!a.defined()) {
      mix(~0ULL);
      continue;
    }
    mix(std::uint64_t(a.dtype()));
    for (std::size_t d : a.shape()) mix(d);
    mix_bytes(bytes_of(a), a.size() * element_size(a.dtype()));
  }
  return h;
}

}  // namespace xgrad
