// Communicator: the group of processes that data-parallel training runs
// over, and the few collectives xgrad needs, on MPI's C API (Open MPI).
//
//   MpiSession mpi(argc, argv);         // MPI_Init_thread ... MPI_Finalize
//   Communicator world = mpi.world();   // xgrad's own duplicate of MPI_COMM_WORLD
//   world.broadcast(state, 0);          // rank 0's arrays on every rank
//
// Why MPI: `mpirun` (or a cluster's scheduler) already knows how to start
// one process per GPU-less host or core, and its collectives are tuned for
// every interconnect; xgrad adds no launcher or transport of its own.
// Ownership: a Communicator owns a duplicate (MPI_Comm_dup) of the one it was
// made from, freed in its destructor, so xgrad's collectives never match a
// user's own calls on MPI_COMM_WORLD. It moves but does not copy. Its error
// handler is MPI_ERRORS_RETURN: a failed call throws DistributedError naming
// the call and MPI's message.
// Collectives: every rank of the communicator must make the same calls in
// the same order (MPI's rule); a rank that stops calling (an exception, a
// crash) leaves the others waiting until the job is aborted (launch.h).
// Thread safety: MPI_THREAD_FUNNELED: one thread (the one that made the
// session) makes every MPI call.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "framework/error.h"
#include "framework/named_arrays.h"

namespace xgrad {

// An MPI call failed, or the ranks disagree (different data, diverged
// parameters); the message names the call or the ranks.
class DistributedError : public Error {
 public:
  using Error::Error;
};

// Raised identically on every rank (each rank reached the same verdict from
// the same collective): the job can end cleanly, without MPI_Abort.
class CollectiveError : public DistributedError {
 public:
  using DistributedError::DistributedError;
};

// True when this process was started by an MPI launcher (mpirun/mpiexec of
// Open MPI or MPICH, srun with PMI/PMIx): its environment names a rank.
bool launched_by_mpi();

class Communicator {
 public:
  // A duplicate of `comm` (MPI_COMM_WORLD by default). REQUIRES: MPI is
  // initialised (an MpiSession is alive).
  explicit Communicator(MPI_Comm comm = MPI_COMM_WORLD);
  ~Communicator();
  Communicator(Communicator&& other) noexcept;
  Communicator& operator=(Communicator&&) = delete;
  Communicator(const Communicator&) = delete;
  Communicator& operator=(const Communicator&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  MPI_Comm handle() const { return comm_; }

  void barrier() const;
  // Root's bytes on every rank (resized to the root's length).
  void broadcast(std::string& bytes, int root) const;
  // Root's arrays (names, shapes, dtypes, values) replace `arrays` on every
  // other rank; the root's are left as they are.
  void broadcast(NamedArrays& arrays, int root) const;
  // Element-wise sums (and maxima) over all ranks, on every rank. Sums run
  // in the order MPI's reduction fixes for a given communicator size (Note
  // [Deterministic sums] in gradient_reducer.h).
  void allreduce_sum(std::vector<double>& values) const;
  void allreduce_max(std::vector<std::int64_t>& values) const;
  // Every rank's `value`, indexed by rank.
  std::vector<std::uint64_t> allgather(std::uint64_t value) const;

  // Ranks whose `fingerprint` differs from rank 0's, as "1, 3" (empty when
  // all agree); the same answer on every rank.
  std::string ranks_differing_from_root(std::uint64_t fingerprint) const;

 private:
  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0, size_ = 1;
};

// Throws DistributedError "<call>: <MPI's message>" unless rc is MPI_SUCCESS.
void check_mpi(int rc, const char* call);

// MPI_Init_thread(MPI_THREAD_FUNNELED) in the constructor, MPI_Finalize in
// the destructor (unless MPI was already initialised by someone else, who
// then also finalises it). One per process.
class MpiSession {
 public:
  MpiSession(int& argc, char**& argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  Communicator world() const { return Communicator(MPI_COMM_WORLD); }
  // Ranks on this host (MPI_COMM_TYPE_SHARED), e.g. to share its cores.
  int local_size() const;

 private:
  bool owns_ = false;
};

// A 64-bit fingerprint (FNV-1a over 8-byte words) of arrays' names, shapes,
// dtypes and bits: equal fingerprints mean, with overwhelming probability,
// identical arrays.
std::uint64_t fingerprint(const NamedArrays& arrays);

}  // namespace xgrad
